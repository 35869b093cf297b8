using RollbackMesh.Agent.Systemd;

namespace RollbackMesh.Agent.Tests.Systemd;

public sealed class SystemdNotifierTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Notify_PathSocket_DeliversTheDatagram()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.EnvironmentValue);

        Assert.True(notifier.Notify("READY=1\nSTATUS=Connected"));

        Assert.Equal("READY=1\nSTATUS=Connected", await socket.ReceiveAsync(Timeout));
    }

    [Fact]
    public async Task Notify_AbstractSocketWrittenWithAt_DeliversTheDatagram()
    {
        using var socket = NotifySocket.Abstract();
        using var notifier = new SystemdNotifier(socket.EnvironmentValue);

        Assert.True(notifier.Notify("WATCHDOG=1"));

        Assert.Equal("WATCHDOG=1", await socket.ReceiveAsync(Timeout));
    }

    [Fact]
    public void Notify_NoNotifySocket_IsDisabledAndSendsNothing()
    {
        using var notifier = new SystemdNotifier(null);

        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.Notify("READY=1"));
    }

    [Fact]
    public void Notify_NobodyListening_ReturnsFalseWithoutThrowing()
    {
        using var notifier = new SystemdNotifier("/nonexistent/notify");

        Assert.False(notifier.Notify("READY=1"));
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
}
