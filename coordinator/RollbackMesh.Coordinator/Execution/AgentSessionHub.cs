using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Metrics;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// The open agent streams. The transport endpoint is a thin adapter over it: it calls <see cref="OnConnectedAsync"/>
/// with the authenticated Hello and the stream's writer, then one method per incoming message, then
/// <see cref="OnDisconnectedAsync"/>. Hello and health go to the <see cref="FleetRegistry"/>; connections, step updates
/// and journals are posted to the runs' inboxes through <see cref="RunInboxes"/>. Outgoing messages go through
/// <see cref="SendAsync"/> (this is the executor's <see cref="IAgentLink"/>). Each session keeps the serial of the
/// certificate it authenticated with and a way to end it, so a revocation (<see cref="CutRevoked"/>) closes the
/// node's stream at once instead of at its next reconnection.
/// </summary>
internal sealed partial class AgentSessionHub(
    FleetRegistry registry, FleetOptions options, TimeProvider time, ILogger<AgentSessionHub> logger, RunInboxes runs,
    CoordinatorMetrics? metrics = null)
    : IAgentLink
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private volatile Func<string, bool>? _isRevoked;

    /// <summary>
    /// Consulted before every StepCommand is sent (the security ledger's check), so a step is never dispatched over a
    /// stream whose certificate was revoked, even in the moment before <see cref="CutRevoked"/> runs.
    /// </summary>
    public void AttachRevocationCheck(Func<string, bool>? isRevoked) => _isRevoked = isRevoked;

    /// <summary>
    /// A node connected. Its registry entry is recorded first, then HelloAck is written to it. A newer stream for the
    /// same node replaces an older one. <paramref name="certificateSerial"/> (null without TLS) and
    /// <paramref name="end"/> (cancels the stream's call) let a revocation cut the stream.
    /// </summary>
    public async ValueTask OnConnectedAsync(
        V1.Hello hello, IAgentStreamWriter writer, CancellationToken ct, string? certificateSerial = null, CancellationTokenSource? end = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(hello.NodeName);
        await registry.OnHelloAsync(FleetWireMapper.ToIdentity(hello), writer).ConfigureAwait(false);
        _sessions[hello.NodeName] = new Session(writer, certificateSerial, end);
        Log.Connected(logger, hello.NodeName, hello.AgentVersion);
        var ack = new V1.HelloAck
        {
            CoordinatorVersion = options.CoordinatorVersion,
            HealthIntervalSeconds = (uint)Math.Max(1, options.HealthInterval.TotalSeconds),
        };
        await writer.WriteAsync(new V1.CoordinatorMessage { HelloAck = ack }, ct).ConfigureAwait(false);
        runs.OnConnected(hello.NodeName);
    }

    public void OnHealth(string node, V1.HealthReport report)
    {
        metrics?.HealthReportReceived();
        if (!registry.OnHealth(node, FleetWireMapper.ToHealth(report, time.GetUtcNow())))
        {
            Log.UnknownNode(logger, node, "health report");
        }
    }

    public void OnStepUpdate(string node, V1.StepUpdate update) =>
        runs.OnStepUpdate(node, AgentWireMapper.ToUpdate(update));

    public void OnJournal(string node, V1.JournalReport report) =>
        runs.OnJournal(node, AgentWireMapper.ToJournal(report));

    /// <summary>
    /// The node's stream ended. When <paramref name="writer"/> is given and a newer stream has replaced it, this is
    /// the old stream's late goodbye and changes nothing.
    /// </summary>
    public Task OnDisconnectedAsync(string node, IAgentStreamWriter? writer = null)
    {
        var removed = writer is null
            ? _sessions.TryRemove(node, out _)
            : _sessions.TryGetValue(node, out var current) && ReferenceEquals(current.Writer, writer)
                && _sessions.TryRemove(new KeyValuePair<string, Session>(node, current));
        if (!removed)
        {
            return Task.CompletedTask;
        }

        Log.Disconnected(logger, node);
        // A newer stream may have said Hello to the registry before taking the session over: the registry then keeps
        // the node connected, since this stream is not the one it last saw connect.
        return registry.OnDisconnectedAsync(node, writer);
    }

    public bool IsConnected(string node) => _sessions.ContainsKey(node);

    public bool IsRemoved(string node) => registry.Get(node) is { Removed: true };

    public ValueTask SendAsync(string node, V1.CoordinatorMessage message, CancellationToken ct)
    {
        if (!_sessions.TryGetValue(node, out var session))
        {
            return ValueTask.FromException(new AgentUnavailableException(node));
        }

        if (message.BodyCase == V1.CoordinatorMessage.BodyOneofCase.Step && session.IsRevoked(_isRevoked))
        {
            _ = Cut(node, session);
            return ValueTask.FromException(new AgentUnavailableException(node));
        }

        return session.Writer.WriteAsync(message, ct);
    }

    /// <summary>
    /// Ends every open stream whose certificate <paramref name="isRevoked"/> says is revoked: the session is dropped
    /// (nothing more is sent to it), the node is recorded as disconnected, and the call is cancelled, which the
    /// endpoint ends with UNAUTHENTICATED. Returns the nodes cut.
    /// </summary>
    public IReadOnlyList<string> CutRevoked(Func<string, bool> isRevoked)
    {
        var cut = new List<string>();
        foreach (var (node, session) in _sessions)
        {
            if (session.IsRevoked(isRevoked) && Cut(node, session))
            {
                cut.Add(node);
            }
        }

        return cut;
    }

    private bool Cut(string node, Session session)
    {
        if (!_sessions.TryRemove(new KeyValuePair<string, Session>(node, session)))
        {
            return false;
        }

        Log.Revoked(logger, node, session.CertificateSerial ?? "");
        _ = registry.OnDisconnectedAsync(node, session.Writer);
        session.End?.Cancel();
        return true;
    }

    private sealed record Session(IAgentStreamWriter Writer, string? CertificateSerial, CancellationTokenSource? End)
    {
        public bool IsRevoked(Func<string, bool>? isRevoked) => CertificateSerial is { } serial && isRevoked is not null && isRevoked(serial);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Node {Node} connected (agent {AgentVersion})")]
        public static partial void Connected(ILogger logger, string node, string agentVersion);

        [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Node {Node} disconnected")]
        public static partial void Disconnected(ILogger logger, string node);

        [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Node {Node}: its certificate {Serial} was revoked; its stream is closed")]
        public static partial void Revoked(ILogger logger, string node, string serial);

        [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Ignored a {What} from {Node}, which has not said Hello")]
        public static partial void UnknownNode(ILogger logger, string node, string what);
    }
}
