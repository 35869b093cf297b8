using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Fleet;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// The open agent streams. The transport endpoint is a thin adapter over it: it calls <see cref="OnConnectedAsync"/>
/// with the authenticated Hello and the stream's writer, then one method per incoming message, then
/// <see cref="OnDisconnectedAsync"/>. Hello and health go to the <see cref="FleetRegistry"/>; step updates and journals
/// go to the attached <see cref="IAgentEventSink"/> (the executor). Outgoing messages go through
/// <see cref="SendAsync"/> (this is the executor's <see cref="IAgentLink"/>).
/// </summary>
internal sealed partial class AgentSessionHub(FleetRegistry registry, FleetOptions options, TimeProvider time, ILogger<AgentSessionHub> logger)
    : IAgentLink
{
    private readonly ConcurrentDictionary<string, IAgentStreamWriter> _sessions = new(StringComparer.Ordinal);
    private volatile IAgentEventSink? _sink;

    /// <summary>Routes step updates and journals to <paramref name="sink"/> (replacing any earlier one).</summary>
    public void AttachSink(IAgentEventSink? sink) => _sink = sink;

    /// <summary>
    /// A node connected. Its registry entry is recorded first, then HelloAck is written to it. A newer stream for the
    /// same node replaces an older one.
    /// </summary>
    public async ValueTask OnConnectedAsync(V1.Hello hello, IAgentStreamWriter writer, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(hello.NodeName);
        await registry.OnHelloAsync(FleetWireMapper.ToIdentity(hello)).ConfigureAwait(false);
        _sessions[hello.NodeName] = writer;
        Log.Connected(logger, hello.NodeName, hello.AgentVersion);
        var ack = new V1.HelloAck
        {
            CoordinatorVersion = options.CoordinatorVersion,
            HealthIntervalSeconds = (uint)Math.Max(1, options.HealthInterval.TotalSeconds),
        };
        await writer.WriteAsync(new V1.CoordinatorMessage { HelloAck = ack }, ct).ConfigureAwait(false);
        _sink?.OnConnected(hello.NodeName);
    }

    public void OnHealth(string node, V1.HealthReport report)
    {
        if (!registry.OnHealth(node, FleetWireMapper.ToHealth(report, time.GetUtcNow())))
        {
            Log.UnknownNode(logger, node, "health report");
        }
    }

    public void OnStepUpdate(string node, V1.StepUpdate update) =>
        _sink?.OnStepUpdate(node, AgentWireMapper.ToUpdate(update));

    public void OnJournal(string node, V1.JournalReport report) =>
        _sink?.OnJournal(node, AgentWireMapper.ToJournal(report));

    /// <summary>
    /// The node's stream ended. When <paramref name="writer"/> is given and a newer stream has replaced it, this is
    /// the old stream's late goodbye and changes nothing.
    /// </summary>
    public Task OnDisconnectedAsync(string node, IAgentStreamWriter? writer = null)
    {
        var removed = writer is null
            ? _sessions.TryRemove(node, out _)
            : _sessions.TryRemove(new KeyValuePair<string, IAgentStreamWriter>(node, writer));
        if (!removed)
        {
            return Task.CompletedTask;
        }

        Log.Disconnected(logger, node);
        return registry.OnDisconnectedAsync(node);
    }

    public bool IsConnected(string node) => _sessions.ContainsKey(node);

    public ValueTask SendAsync(string node, V1.CoordinatorMessage message, CancellationToken ct) =>
        _sessions.TryGetValue(node, out var writer)
            ? writer.WriteAsync(message, ct)
            : ValueTask.FromException(new AgentUnavailableException(node));

    private static partial class Log
    {
        [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Node {Node} connected (agent {AgentVersion})")]
        public static partial void Connected(ILogger logger, string node, string agentVersion);

        [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Node {Node} disconnected")]
        public static partial void Disconnected(ILogger logger, string node);

        [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Ignored a {What} from {Node}, which has not said Hello")]
        public static partial void UnknownNode(ILogger logger, string node, string what);
    }
}
