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
/// and after any transient failure or a coordinator restart waits a <see cref="ReconnectBackoff"/> delay and
/// connects again. Anything else (a bug, unreadable TLS files) ends the process with a non-zero exit code so
/// systemd restarts it.
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
        _backoff.Reset();
        _monitor.Set(ConnectionState.Connected, _connector.Address);
        ConnectionLog.Connected(_logger, _connector.Address);
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
