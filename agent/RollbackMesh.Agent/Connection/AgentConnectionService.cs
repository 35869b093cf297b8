using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RollbackMesh.Agent.Configuration;
using Grpc.Core;

namespace RollbackMesh.Agent.Connection;

/// <summary>
/// Keeps one AgentHub.Connect stream open for the agent's whole life: connects, runs a <see cref="HubSession"/>,
/// and after any transient failure or a coordinator restart waits a <see cref="ReconnectBackoff"/> delay (reset only
/// by a connection that stayed open long enough to count as healthy) and connects again. A refusal of this node itself (<see cref="RefusalOf"/>: removed, revoked, speaking for another node,
/// a CA that TLS does not trust) is final: one log line and exit code 1, which systemd does not restart. Anything else
/// (a bug, unreadable TLS files) ends the process with exit code 70 so systemd restarts it.
/// </summary>
internal sealed class AgentConnectionService : BackgroundService
{
    private readonly IHubConnector _connector;
    private readonly HubSession _session;
    private readonly ReconnectBackoff _backoff;
    private readonly ConnectionMonitor _monitor;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _healthInterval;
    private readonly Hosting.AgentFailure _failure;
    private readonly ILogger<AgentConnectionService> _logger;
    private long? _connectedAt;

    /// <summary>Creates the service.</summary>
    public AgentConnectionService(IHubConnector connector, HubSession session, ReconnectBackoff backoff, ConnectionMonitor monitor,
        TimeProvider timeProvider, Microsoft.Extensions.Options.IOptions<AgentOptions> options, Hosting.AgentFailure failure,
        ILogger<AgentConnectionService> logger)
    {
        _connector = connector;
        _session = session;
        _backoff = backoff;
        _monitor = monitor;
        _timeProvider = timeProvider;
        _healthInterval = options.Value.HealthIntervalValue;
        _failure = failure;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string reason;
            _monitor.Set(ConnectionState.Connecting, _connector.Address);
            ConnectionLog.Connecting(_logger, _connector.Address);
            try
            {
                using var stream = await _connector.ConnectAsync(stoppingToken).ConfigureAwait(false);
                await _session.RunAsync(stream, _healthInterval, OnConnected, stoppingToken).ConfigureAwait(false);
                reason = "the coordinator ended the stream";
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (RefusalOf(ex) is { } refusal)
            {
                // Retrying cannot change the coordinator's answer; looping on it only floods both logs.
                ConnectionLog.Refused(_logger, _connector.Address, refusal);
                _monitor.Set(ConnectionState.Stopped, "refused: " + refusal);
                var refused = new AgentRefusedException(refusal, ex);
                _failure.Record(refused);
                throw refused;
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                reason = Describe(ex);
            }
            catch (Exception ex)
            {
                // Not something a retry fixes: exit non-zero and let systemd's Restart= policy take over.
                ConnectionLog.Fatal(_logger, ex);
                _failure.Record(ex);
                throw;
            }

            if (_connectedAt is { } connectedAt)
            {
                _backoff.ConnectionEnded(_timeProvider.GetElapsedTime(connectedAt));
                _connectedAt = null;
            }

            var delay = _backoff.NextDelay();
            ConnectionLog.Disconnected(_logger, _connector.Address, reason, delay.TotalSeconds);
            _monitor.Set(ConnectionState.WaitingToReconnect, $"{reason}; retrying in {delay.TotalSeconds:0.0} s");
            try
            {
                await Task.Delay(delay, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _monitor.Set(ConnectionState.Stopped, string.Empty);
    }

    private void OnConnected()
    {
        _connectedAt = _timeProvider.GetTimestamp();
        _monitor.Set(ConnectionState.Connected, _connector.Address);
        ConnectionLog.Connected(_logger, _connector.Address);
    }

    /// <summary>
    /// Why the coordinator refused this node for good, or null for anything a retry may fix. Final: UNAUTHENTICATED
    /// (the certificate is revoked, e.g. after <c>node remove</c>, expired, or not this CA's), PERMISSION_DENIED (the
    /// certificate is for another node), a failed TLS handshake (the coordinator's certificate is not signed by the
    /// pinned CA, or the coordinator rejected ours), and a refused enrollment. UNAVAILABLE, resets and timeouts are not.
    /// </summary>
    internal static string? RefusalOf(Exception ex)
    {
        if (ex is Enrollment.EnrollmentException { IsTransient: false })
        {
            return ex.Message;
        }

        if (ex is RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied } rpc)
        {
            return $"{rpc.StatusCode}: {rpc.Status.Detail}";
        }

        return TlsFailureIn(ex) is { } tls ? "TLS handshake failed: " + tls.Message : null;
    }

    // grpc-dotnet wraps a handshake failure as UNAVAILABLE with the HttpRequestException (and its AuthenticationException) as debug exception.
    private static AuthenticationException? TlsFailureIn(Exception? ex)
    {
        for (var depth = 0; ex is not null && depth < 8; depth++)
        {
            if (ex is AuthenticationException tls)
            {
                return tls;
            }

            ex = ex is RpcException rpc ? rpc.Status.DebugException ?? rpc.InnerException : ex.InnerException;
        }

        return null;
    }

    /// <summary>Failures a later attempt may not see: the network, the coordinator, the stream.</summary>
    internal static bool IsTransient(Exception ex) => ex switch
    {
        Enrollment.EnrollmentException enrollment => enrollment.IsTransient,
        RpcException or HttpRequestException or IOException or SocketException or AuthenticationException
            or ChannelClosedException or TimeoutException => true,
        OperationCanceledException => true, // a call cancelled by the transport (keepalive timeout, RST_STREAM)
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };

    private static string Describe(Exception ex) => ex switch
    {
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ when ex.InnerException is not null => $"{ex.Message} ({ex.InnerException.Message})",
        _ => ex.Message,
    };
}
