using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Fleet;

/// <summary>
/// Every node the coordinator knows: identity from its Hello, connection state, last seen, latest health and a
/// bounded history of its health changes. Known nodes are persisted so they are listed (as disconnected) after a restart.
/// Thread-safe; reads return immutable <see cref="NodeView"/>s.
/// </summary>
internal sealed class FleetRegistry
{
    private readonly FleetOptions _options;
    private readonly TimeProvider _time;
    private readonly IFleetStore? _store;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _nodes = new(StringComparer.Ordinal);
    // Gates waiting for a node's next report (NextReportAsync); completed and removed when it arrives.
    private readonly Dictionary<string, TaskCompletionSource> _reportWaiters = new(StringComparer.Ordinal);
    private Task _lastWrite = Task.CompletedTask;

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

    /// <summary>
    /// A node's agent connected and introduced itself. Persisted before this returns. A known node that names another
    /// cluster than the one stored is refused (<see cref="ClusterChangeRefusedException"/>, nothing changes) unless it
    /// was removed: plans and locks are per cluster, so a node silently moving would take its steps with it.
    /// <paramref name="stream"/> names the stream that said Hello (see <see cref="OnDisconnectedAsync"/>).
    /// </summary>
    public Task OnHelloAsync(NodeIdentity identity, object? stream = null)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_nodes.TryGetValue(identity.Name, out var entry))
            {
                entry = new Entry(identity);
                _nodes[identity.Name] = entry;
            }
            else if (!entry.Removed && entry.Identity.Cluster.Length > 0
                && !string.Equals(entry.Identity.Cluster, identity.Cluster, StringComparison.Ordinal))
            {
                throw new ClusterChangeRefusedException(identity.Name, entry.Identity.Cluster, identity.Cluster);
            }

            entry.Identity = identity;
            entry.Connected = true;
            entry.Stream = stream;
            entry.Removed = false;
            entry.LastSeen = now;
            entry.PersistedAt = now;
        }

        return _store is null ? Task.CompletedTask : Track(_store.SaveNodeAsync(identity, now));
    }

    /// <summary>
    /// Records a health report: last seen moves to its arrival. The persisted last seen (what a restarted coordinator
    /// shows) is written at most once per <see cref="FleetOptions.LastSeenPersistInterval"/> per node, in the
    /// background, so a large fleet's reports do not turn into a write each. Reports from unknown nodes (no Hello
    /// yet) are ignored and return false.
    /// </summary>
    public bool OnHealth(string node, NodeHealth health)
    {
        NodeIdentity? persist = null;
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            if (!_nodes.TryGetValue(node, out var entry))
            {
                return false;
            }

            _reportWaiters.Remove(node, out waiter);

            entry.LastSeen = health.ReceivedAt;
            // Only a change enters the history (the previous report is the state the newest kept one started): a fleet
            // reports every 10 s, and 10,000 nodes' identical reports would otherwise hold a million copies of one state.
            if (entry.Latest is not { } previous || !previous.SameStateAs(health))
            {
                entry.History.Enqueue(health);
                while (entry.History.Count > _options.HealthHistoryLength)
                {
                    entry.History.Dequeue();
                }
            }

            entry.Latest = health;

            if (_store is not null && !(entry.PersistedAt is { } persisted && health.ReceivedAt - persisted < _options.LastSeenPersistInterval))
            {
                entry.PersistedAt = health.ReceivedAt;
                persist = entry.Identity;
            }
        }

        waiter?.TrySetResult(); // outside the lock: a woken gate reads the registry
        if (persist is not null)
        {
            Track(_store!.SaveNodeAsync(persist, health.ReceivedAt));
        }

        return true;
    }

    /// <summary>
    /// Completes when the next health report of any of <paramref name="nodes"/> has been recorded: a gate waiting for
    /// fresh reports re-checks then, instead of at its next poll (a phase's gate would otherwise cost a poll interval).
    /// </summary>
    public Task NextReportAsync(IEnumerable<string> nodes)
    {
        var waits = new List<Task>();
        lock (_lock)
        {
            foreach (var node in nodes)
            {
                if (!_reportWaiters.TryGetValue(node, out var waiter))
                {
                    waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _reportWaiters[node] = waiter;
                }

                waits.Add(waiter.Task);
            }
        }

        return waits.Count == 0 ? Task.Delay(Timeout.Infinite) : Task.WhenAny(waits);
    }

    /// <summary>Completes when every last-seen write started so far is durable (they commit in order).</summary>
    public Task FlushAsync()
    {
        lock (_lock)
        {
            return _lastWrite;
        }
    }

    /// <summary>
    /// The node's stream ended. It stays known, shown as disconnected. Given the <paramref name="stream"/> that ended,
    /// nothing changes when another stream of the node has said Hello since: an agent that gave up on a silent
    /// connection dials again, and the old one's end can be seen after the new Hello.
    /// </summary>
    public Task OnDisconnectedAsync(string node, object? stream = null)
    {
        NodeIdentity identity;
        DateTimeOffset? lastSeen;
        lock (_lock)
        {
            if (!_nodes.TryGetValue(node, out var entry) || stream is not null && !ReferenceEquals(entry.Stream, stream))
            {
                return Task.CompletedTask;
            }

            entry.Connected = false;
            entry.Stream = null;
            identity = entry.Identity;
            lastSeen = entry.LastSeen;
        }

        return _store is null ? Task.CompletedTask : Track(_store.SaveNodeAsync(identity, lastSeen));
    }

    /// <summary>
    /// Records which known nodes are removed (every certificate revoked, from the security ledger); the others are
    /// not. A removed node that enrolls again clears it with its next Hello.
    /// </summary>
    public void SetRemoved(IReadOnlySet<string> removed)
    {
        lock (_lock)
        {
            foreach (var entry in _nodes.Values)
            {
                entry.Removed = removed.Contains(entry.Identity.Name);
            }
        }
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

    /// <summary>
    /// Known, connected and stale agents per role and per cluster, in one pass under the lock (a metrics scrape; a
    /// health report costs nothing here). A node counts once under each of its roles, a node without roles under "",
    /// and once under its cluster ("" when its agent.yaml names none). Stale is what <c>rollbackmesh nodes</c> shows as
    /// stale: connected, not removed, and its reports stopped arriving.
    /// </summary>
    public AgentCensus Census()
    {
        var now = _time.GetUtcNow();
        var byRole = new Dictionary<string, AgentCounts>(StringComparer.Ordinal);
        var byCluster = new Dictionary<string, AgentCounts>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var entry in _nodes.Values)
            {
                var connected = entry.Connected && !entry.Removed;
                var node = new AgentCounts(1, connected ? 1 : 0, connected && IsStale(entry, now) ? 1 : 0);
                foreach (var role in entry.Identity.Roles.IsDefaultOrEmpty ? [""] : entry.Identity.Roles)
                {
                    byRole[role] = byRole.GetValueOrDefault(role) + node;
                }

                byCluster[entry.Identity.Cluster] = byCluster.GetValueOrDefault(entry.Identity.Cluster) + node;
            }
        }

        return new AgentCensus(byRole, byCluster);
    }

    /// <summary>The reports at which the node's health changed, oldest first (empty when unknown).</summary>
    public ImmutableArray<NodeHealth> HealthHistory(string node)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(node, out var entry) ? [.. entry.History] : [];
        }
    }

    private Task Track(Task write)
    {
        lock (_lock)
        {
            _lastWrite = write;
        }

        // A background last-seen write that fails (disk gone) must not become an unobserved exception; the store's
        // next awaited write reports the same fault to its caller.
        _ = write.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return write;
    }

    private NodeView View(Entry entry, DateTimeOffset now) =>
        new(entry.Identity, entry.LastSeen, entry.Connected, IsStale(entry, now), entry.Latest, entry.Removed);

    private bool IsStale(Entry entry, DateTimeOffset now) =>
        entry.LastSeen is not { } seen || now - seen > _options.StaleAfter;

    private sealed class Entry(NodeIdentity identity)
    {
        public NodeIdentity Identity { get; set; } = identity;
        public bool Connected { get; set; }

        /// <summary>The stream whose Hello made the node connected; only its end disconnects the node.</summary>
        public object? Stream { get; set; }
        public bool Removed { get; set; }
        public DateTimeOffset? LastSeen { get; set; }

        /// <summary>When last seen was last written to the store.</summary>
        public DateTimeOffset? PersistedAt { get; set; }
        public NodeHealth? Latest { get; set; }
        public Queue<NodeHealth> History { get; } = new();
    }
}
