using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// Makes a revocation take effect on open streams, not only at the next connection. <c>node remove</c> runs as a
/// separate process and changes the security state file; this service notices the change within
/// <see cref="PollInterval"/> (the state file's cached read costs one stat when nothing changed), cuts every agent
/// stream whose certificate is now revoked, and records which known nodes are removed (no unrevoked certificate left).
/// </summary>
internal sealed partial class RevocationWatcher(
    SecurityStateFile state, CertificateLedger ledger, AgentSessionHub hub, FleetRegistry registry, TimeProvider time,
    ILogger<RevocationWatcher> logger) : BackgroundService
{
    /// <summary>How often the state file is checked; well inside the one second a revocation may take.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        hub.AttachRevocationCheck(ledger.IsRevoked);
        Apply(state.Read());
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var applied = state.Read();
        using var timer = new PeriodicTimer(PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var current = state.Read();
                    if (!ReferenceEquals(current, applied))
                    {
                        Apply(current);
                        applied = current;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    // A half-visible or unreadable file: the next tick reads it again; refusals at Hello still apply.
                    Log.Unreadable(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Apply(SecurityState current)
    {
        foreach (var node in hub.CutRevoked(ledger.IsRevoked))
        {
            Log.Cut(logger, node);
        }

        var revoked = current.Revoked.Select(r => r.Serial).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var removed = current.Issued
            .Where(i => i.Kind == PeerKind.Node && revoked.Contains(i.Serial))
            .Select(i => i.Name)
            .Where(name => !ledger.HasActiveCertificate(PeerKind.Node, name))
            .ToHashSet(StringComparer.Ordinal);
        registry.SetRemoved(removed);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5111, Level = LogLevel.Warning, Message = "Node {Node} was removed: its open stream is closed and nothing more is sent to it")]
        public static partial void Cut(ILogger logger, string node);

        [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "Could not read the security state to apply revocations: {Reason}")]
        public static partial void Unreadable(ILogger logger, string reason);
    }
}
