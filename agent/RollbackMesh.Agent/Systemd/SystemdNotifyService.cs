using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using RollbackMesh.Agent.Connection;

namespace RollbackMesh.Agent.Systemd;

/// <summary>
/// What the agent adds to Hosting.Systemd's lifetime (which sends READY=1 once the host has started, and STOPPING=1
/// when shutdown begins): STATUS= with every connection change, and WATCHDOG=1 at half of $WATCHDOG_USEC, since that
/// library keeps no watchdog timer. Readiness does not wait for the coordinator: the agent keeps retrying it on its own.
/// </summary>
internal sealed class SystemdNotifyService : IHostedService, IDisposable
{
    private readonly ISystemdNotifier _notifier;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ConnectionMonitor _connection;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan? _watchdogInterval;
    private readonly ILogger<SystemdNotifyService> _logger;
    private readonly List<IDisposable> _subscriptions = [];

    /// <summary>Creates the service; <paramref name="watchdogInterval"/> null means no watchdog pings.</summary>
    public SystemdNotifyService(ISystemdNotifier notifier, IHostApplicationLifetime lifetime, ConnectionMonitor connection,
        TimeProvider timeProvider, WatchdogInterval watchdogInterval, ILogger<SystemdNotifyService> logger)
    {
        _notifier = notifier;
        _lifetime = lifetime;
        _connection = connection;
        _timeProvider = timeProvider;
        _watchdogInterval = watchdogInterval.Value;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_notifier.IsEnabled)
        {
            return Task.CompletedTask;
        }

        _connection.Changed += OnConnectionChanged;
        _subscriptions.Add(_lifetime.ApplicationStarted.Register(() => Send("STATUS=" + _connection.Current.ToStatusLine())));
        _subscriptions.Add(_lifetime.ApplicationStopping.Register(() => Send("STATUS=Stopping")));
        if (_watchdogInterval is { } interval)
        {
            _subscriptions.Add(_timeProvider.CreateTimer(_ => Send("WATCHDOG=1"), null, TimeSpan.Zero, interval));
            SystemdLog.WatchdogEnabled(_logger, interval);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Changed -= OnConnectionChanged;
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private void OnConnectionChanged(ConnectionStatus status) => Send("STATUS=" + status.ToStatusLine());

    private void Send(string state)
    {
        try
        {
            _notifier.Notify(new ServiceState(state));
        }
        catch (SocketException ex)
        {
            // systemd may not be listening (e.g. the unit is not Type=notify any more): a lost notification must not
            // take the agent down, and the watchdog timer must keep running.
            SystemdLog.NotifyFailed(_logger, state, ex.SocketErrorCode);
        }
    }
}
