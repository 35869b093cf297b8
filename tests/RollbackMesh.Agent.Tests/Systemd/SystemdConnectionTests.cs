using System.Diagnostics;
using RollbackMesh.Agent.Systemd;
using RollbackMesh.Agent.Tests.Testbeds;
using Tmds.DBus.Protocol;

namespace RollbackMesh.Agent.Tests.Systemd;

/// <summary>
/// The agent's shared connection against a real systemd 252 user manager whose bus is a socket-activated
/// dbus-daemon (dbus.socket, dbus.service): killing that daemon is the bus going away, and the next connection
/// attempt starts it again, as on a node where dbus.service is restarted.
/// </summary>
public sealed class SystemdConnectionTests(SystemdUserFixture systemd) : IClassFixture<SystemdUserFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetManagerAsync_ConcurrentCallers_ShareOneConnection()
    {
        using var connection = new SystemdConnection(systemd.BusAddress, TimeProvider.System);

        var managers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => connection.GetManagerAsync(Cancel())));

        Assert.All(managers, m => Assert.Same(managers[0], m));
        Assert.True(managers[0].IsConnected);
    }

    [Fact]
    public async Task GetManagerAsync_NoBusAtAddress_ThrowsConnectFailed()
    {
        using var connection = new SystemdConnection($"unix:path=/tmp/rbm-no-bus-{Guid.NewGuid():N}", TimeProvider.System);

        await Assert.ThrowsAsync<DBusConnectFailedException>(() => connection.GetManagerAsync(Cancel()));
    }

    [Fact]
    public async Task GetManagerAsync_AfterTheBusDied_FailsThePendingJobThenReconnectsWithJobSignals()
    {
        using var connection = new SystemdConnection(systemd.BusAddress, TimeProvider.System);
        var first = await connection.GetManagerAsync(Cancel());
        Assert.Equal(JobResult.Done, (await first.StartUnitAsync("rbm-start.service", JobTimeout, Cancel())).Result);
        var slow = first.StartUnitAsync("rbm-slow.service", TimeSpan.FromSeconds(60), Cancel());
        var busPid = await MainPidAsync(first, "dbus.service");
        var clock = Stopwatch.StartNew();

        NativeSignals.Send((int)busPid, NativeSignals.SigKill);

        // The wait ends when the connection does, not when its 60 s timeout would.
        await Assert.ThrowsAnyAsync<DBusConnectionException>(() => slow.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.False(first.IsConnected);

        var second = await ReconnectAsync(connection);
        Assert.NotSame(first, second);
        // A job on the new connection completes: its JobRemoved match and systemd's subscription were made again.
        Assert.Equal(JobResult.Done, (await second.StopUnitAsync("rbm-start.service", JobTimeout, Cancel())).Result);
        Assert.Equal("inactive", (await second.GetUnitStateAsync("rbm-start.service", Cancel())).ActiveState);
        Assert.NotEqual(busPid, await MainPidAsync(second, "dbus.service"));
        await second.StopUnitAsync("rbm-slow.service", JobTimeout, Cancel());
    }

    [Fact]
    public async Task GetManagerAsync_AfterSystemdReexecuted_FailsThePendingJobThenReconnects()
    {
        using var connection = new SystemdConnection(systemd.BusAddress, TimeProvider.System);
        var first = await connection.GetManagerAsync(Cancel());
        var slow = first.StartUnitAsync("rbm-slow.service", TimeSpan.FromSeconds(60), Cancel());
        var clock = Stopwatch.StartNew();

        // daemon-reexec (as a systemd package upgrade does): the bus stays, systemd comes back under a new unique name.
        // systemd sends no reply: the bus answers NoReply once the old process has left it.
        using (var other = await SystemdManager.ConnectAsync(systemd.BusAddress, TimeProvider.System, Cancel()))
        {
            await Assert.ThrowsAsync<DBusErrorReplyException>(() => other.Connection.CallMethodAsync(ManagerCall(other.Connection, "Reexecute")).WaitAsync(Cancel()));
        }

        await Assert.ThrowsAnyAsync<DBusConnectionException>(() => slow.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.False(first.IsConnected);
        var second = await ReconnectAsync(connection);
        Assert.NotSame(first, second);
        Assert.Equal(JobResult.Done, (await second.StopUnitAsync("rbm-slow.service", JobTimeout, Cancel())).Result);
    }

    private static MessageBuffer ManagerCall(DBusConnection connection, string member)
    {
        var writer = connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(SystemdManager.ServiceName, SystemdManager.ManagerPath, SystemdManager.ManagerInterface, member, null, MessageFlags.None);
            return writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The restarted bus is back at once, systemd a moment later: until then the bus says NameHasNoOwner.</summary>
    private static async Task<SystemdManager> ReconnectAsync(SystemdConnection connection)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await connection.GetManagerAsync(Cancel());
            }
            catch (DBusExceptionBase) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<uint> MainPidAsync(SystemdManager manager, string unit)
    {
        var path = await manager.LoadUnitAsync(unit, Cancel());
        return await manager.GetPropertyAsync(path, SystemdManager.ServiceInterface, "MainPID", static v => v.GetUInt32(), Cancel());
    }

    private static CancellationToken Cancel() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
