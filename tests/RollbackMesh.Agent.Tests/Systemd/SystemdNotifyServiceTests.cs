using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Systemd;

namespace RollbackMesh.Agent.Tests.Systemd;

public sealed class SystemdNotifyServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Lifecycle_RealSocket_SendsReadyStatusWatchdogAndStopping()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.EnvironmentValue);
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var monitor = new ConnectionMonitor();
        using var service = new SystemdNotifyService(notifier, lifetime, monitor, TimeProvider.System,
            new WatchdogInterval(TimeSpan.FromMilliseconds(50)), NullLogger<SystemdNotifyService>.Instance);

        await service.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();
        var ready = await socket.ReceiveUntilAsync(m => m.StartsWith("READY=1", StringComparison.Ordinal), Timeout);
        Assert.Equal("READY=1\nSTATUS=Starting", ready[^1]);

        monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        await socket.ReceiveUntilAsync(m => m == "STATUS=Connected to https://coordinator:7443", Timeout);
        await socket.ReceiveUntilAsync(m => m == "WATCHDOG=1", Timeout);

        lifetime.StopApplication();
        await socket.ReceiveUntilAsync(m => m.StartsWith("STOPPING=1", StringComparison.Ordinal), Timeout);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_NoWatchdog_NeverSendsWatchdog()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.EnvironmentValue);
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var service = new SystemdNotifyService(notifier, lifetime, new ConnectionMonitor(), TimeProvider.System,
            new WatchdogInterval(null), NullLogger<SystemdNotifyService>.Instance);

        await service.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();
        lifetime.StopApplication();

        var received = await socket.ReceiveUntilAsync(m => m.StartsWith("STOPPING=1", StringComparison.Ordinal), Timeout);
        Assert.DoesNotContain(received, m => m.Contains("WATCHDOG", StringComparison.Ordinal));
    }
}
