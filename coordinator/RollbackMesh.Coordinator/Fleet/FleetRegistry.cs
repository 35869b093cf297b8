using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Fleet;

/// <summary>
/// Every node the coordinator knows: identity from its Hello, connection state, last seen, latest health and a
/// bounded history of reports. Known nodes are persisted so they are listed (as disconnected) after a restart.
/// Thread-safe; reads return immutable <see cref="NodeView"/>s.
/// </summary>
internal sealed class FleetRegistry
{
    private readonly FleetOptions _options;
    private readonly TimeProvider _time;
    private readonly IFleetStore? _store;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _nodes = new(StringComparer.Ordinal);

    public FleetRegistry(FleetOptions options, TimeProvider time, IFleetStore? store = null)
    {
        _options = options;
        _time = time;
        _store = store;
        foreach (var (node, lastSeen) in store?.LoadNodes() ?? [])
        {
            _nodes[node.Name] = new Entry(node) { LastSeen = lastSeen };
        }
    }

    /// <summary>A node's agent connected and introduced itself. Persisted before this returns.</summary>
    public Task OnHelloAsync(NodeIdentity identity)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_nodes.TryGetValue(identity.Name, out var entry))
            {
                entry = new Entry(identity);
                _nodes[identity.Name] = entry;
            }

            entry.Identity = identity;
            entry.Connected = true;
            entry.LastSeen = now;
        }

        return _store?.SaveNodeAsync(identity, now) ?? Task.CompletedTask;
    }

    /// <summary>Records a health report. Reports from unknown nodes (no Hello yet) are ignored and return false.</summary>
    public bool OnHealth(string node, NodeHealth health)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(node, out var entry))
            {
                return false;
            }

            entry.LastSeen = health.ReceivedAt;
            entry.Latest = health;
            entry.History.Enqueue(health);
            while (entry.History.Count > _options.HealthHistoryLength)
            {
                entry.History.Dequeue();
            }

            return true;
        }
    }

    /// <summary>The node's stream ended. It stays known, shown as disconnected.</summary>
    public Task OnDisconnectedAsync(string node)
    {
        NodeIdentity identity;
        DateTimeOffset? lastSeen;
        lock (_lock)
        {
            if (!_nodes.TryGetValue(node, out var entry))
            {
                return Task.CompletedTask;
            }

            entry.Connected = false;
            identity = entry.Identity;
            lastSeen = entry.LastSeen;
        }

        return _store?.SaveNodeAsync(identity, lastSeen) ?? Task.CompletedTask;
    }

    /// <summary>One node, or null when unknown.</summary>
    public NodeView? Get(string node)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return _nodes.TryGetValue(node, out var entry) ? View(entry, now) : null;
        }
    }

    /// <summary>Every known node, by name.</summary>
    public ImmutableArray<NodeView> List()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return [.. _nodes.Values.OrderBy(e => e.Identity.Name, StringComparer.Ordinal).Select(e => View(e, now))];
        }
    }

    /// <summary>The node's kept health reports, oldest first (empty when unknown).</summary>
    public ImmutableArray<NodeHealth> HealthHistory(string node)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(node, out var entry) ? [.. entry.History] : [];
        }
    }

    private NodeView View(Entry entry, DateTimeOffset now)
    {
        var staleAfter = _options.HealthInterval * _options.MissedReportsBeforeStale;
        var stale = entry.LastSeen is not { } seen || now - seen > staleAfter;
        return new NodeView(entry.Identity, entry.LastSeen, entry.Connected, stale, entry.Latest);
    }

    private sealed class Entry(NodeIdentity identity)
    {
        public NodeIdentity Identity { get; set; } = identity;
        public bool Connected { get; set; }
        public DateTimeOffset? LastSeen { get; set; }
        public NodeHealth? Latest { get; set; }
        public Queue<NodeHealth> History { get; } = new();
    }
}
