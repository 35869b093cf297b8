using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Systemd;

namespace RollbackMesh.Agent.Tests.Systemd;

/// <summary>
/// sd_notify through Hosting.Systemd's notifier to a real datagram socket where systemd's would be. AddSystemd only
/// registers under a systemd parent, so these hosts register its lifetime and notifier themselves, as it would.
/// </summary>
[Collection(NotifySocketCollection.Name)]
public sealed class SystemdNotifyServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Host_UnderSystemdLifetime_SendsReadyStatusWatchdogAndStopping()
    {
        using var socket = NotifySocket.AtPath();
        var monitor = new ConnectionMonitor();
        using var host = BuildHost(socket.CreateNotifier(), monitor, TimeSpan.FromMilliseconds(50));

        await host.StartAsync();
        // Both are sent when the host has started, in no promised order.
        var started = await socket.ReceiveUntilAsync(m => m is "READY=1" or "STATUS=Starting", Timeout);
        started.AddRange(await socket.ReceiveUntilAsync(m => m == (started[^1] == "READY=1" ? "STATUS=Starting" : "READY=1"), Timeout));
        Assert.DoesNotContain(started, m => m.StartsWith("STOPPING", StringComparison.Ordinal));

        monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        await socket.ReceiveUntilAsync(m => m == "STATUS=Connected to https://coordinator:7443", Timeout);
        await socket.ReceiveUntilAsync(m => m == "WATCHDOG=1", Timeout);

        var stopping = host.StopAsync();
        await socket.ReceiveUntilAsync(m => m == "STOPPING=1", Timeout);
        await stopping;
    }

    [Fact]
    public async Task Host_NoWatchdog_NeverSendsWatchdog()
    {
        using var socket = NotifySocket.AtPath();
        using var host = BuildHost(socket.CreateNotifier(), new ConnectionMonitor(), watchdog: null);

        await host.StartAsync();
        await host.StopAsync();

        var received = await socket.ReceiveUntilAsync(m => m == "STOPPING=1", Timeout);
        Assert.Contains("READY=1", received);
        Assert.DoesNotContain(received, m => m.Contains("WATCHDOG", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_AbstractSocketWrittenWithAt_DeliversStatus()
    {
        using var socket = NotifySocket.Abstract();
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var service = Service(socket.CreateNotifier(), lifetime, new ConnectionMonitor(), watchdog: null, NullLogger<SystemdNotifyService>.Instance);

        await service.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();

        Assert.Equal("STATUS=Starting", await socket.ReceiveAsync(Timeout));
    }

    [Fact]
    public async Task StartAsync_NoNotifySocket_IsDisabledAndSendsNothing()
    {
        var notifier = NotifySocket.CreateNotifier(null);
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var logger = new FakeLogger<SystemdNotifyService>();
        using var service = Service(notifier, lifetime, new ConnectionMonitor(), TimeSpan.FromMilliseconds(10), logger);

        await service.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();
        await Task.Delay(100);

        Assert.False(notifier.IsEnabled);
        Assert.Empty(Messages(logger));
    }

    [Fact]
    public async Task Send_NobodyListening_LogsAWarningAndKeepsPinging()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var logger = new FakeLogger<SystemdNotifyService>();
        var monitor = new ConnectionMonitor();
        using var service = Service(NotifySocket.CreateNotifier($"/tmp/rbm-no-notify-{Guid.NewGuid():N}"), lifetime, monitor, TimeSpan.FromMilliseconds(20), logger);

        await service.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();
        monitor.Set(ConnectionState.Connecting, "https://coordinator:7443");
        var deadline = DateTime.UtcNow + Timeout;
        while (Messages(logger).Count(m => m.Contains("'WATCHDOG=1'", StringComparison.Ordinal)) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(Messages(logger).Count(m => m.Contains("'WATCHDOG=1'", StringComparison.Ordinal)) >= 3, string.Join("\n", Messages(logger)));
        Assert.Contains(Messages(logger), m => m.StartsWith("Warning: Could not send 'STATUS=Connecting to https://coordinator:7443'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("30000000", null, 15_000)]
    [InlineData("30000000", "4242", 15_000)]
    [InlineData("30000000", "1", null)]
    [InlineData("0", null, null)]
    [InlineData(null, null, null)]
    [InlineData("junk", null, null)]
    public void PingInterval_WatchdogEnvironment_IsHalfOfWatchdogUsecForThisProcess(string? usec, string? pid, int? expectedMs)
    {
        var interval = WatchdogSettings.PingInterval(usec, pid, currentPid: 4242);

        Assert.Equal(expectedMs is null ? null : TimeSpan.FromMilliseconds(expectedMs.Value), interval);
    }

    private static IHost BuildHost(ISystemdNotifier notifier, ConnectionMonitor monitor, TimeSpan? watchdog)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(notifier);
        builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        builder.Services.AddSingleton(monitor);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new WatchdogInterval(watchdog));
        builder.Services.AddHostedService<SystemdNotifyService>();
        return builder.Build();
    }

    private static SystemdNotifyService Service(ISystemdNotifier notifier, IHostApplicationLifetime lifetime, ConnectionMonitor monitor,
        TimeSpan? watchdog, ILogger<SystemdNotifyService> logger) =>
        new(notifier, lifetime, monitor, TimeProvider.System, new WatchdogInterval(watchdog), logger);

    private static List<string> Messages(FakeLogger logger) => [.. logger.Collector.GetSnapshot().Select(r => $"{r.Level}: {r.Message}")];
}
