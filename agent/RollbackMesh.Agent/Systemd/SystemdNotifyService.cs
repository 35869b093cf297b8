using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RollbackMesh.Agent.Connection;

namespace RollbackMesh.Agent.Systemd;

/// <summary>
/// Speaks sd_notify for a Type=notify unit: READY=1 once the host has started (the agent keeps retrying the
/// coordinator on its own, so readiness does not wait for it), STATUS= with every connection change, WATCHDOG=1
/// at half of $WATCHDOG_USEC, and STOPPING=1 when shutdown begins (SIGTERM).
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
        _subscriptions.Add(_lifetime.ApplicationStarted.Register(() =>
        {
            Send("READY=1\nSTATUS=" + _connection.Current.ToStatusLine());
            SystemdLog.ReadySent(_logger);
        }));
        _subscriptions.Add(_lifetime.ApplicationStopping.Register(() => Send("STOPPING=1\nSTATUS=Stopping")));
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
        if (!_notifier.Notify(state))
        {
            SystemdLog.NotifyFailed(_logger, state);
        }
    }
}
