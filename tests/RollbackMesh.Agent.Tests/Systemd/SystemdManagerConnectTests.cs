using RollbackMesh.Agent.Systemd;
using RollbackMesh.Agent.Tests.Testbeds;
using Tmds.DBus.Protocol;

namespace RollbackMesh.Agent.Tests.Systemd;

/// <summary>Connecting to a real bus on which no systemd runs, and to no bus at all.</summary>
public sealed class SystemdManagerConnectTests(DBusDaemonFixture bus) : IClassFixture<DBusDaemonFixture>
{
    [Fact]
    public async Task ConnectAsync_BusWithoutSystemd_ThrowsNameHasNoOwner()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<DBusErrorReplyException>(() => SystemdManager.ConnectAsync(bus.Address, TimeProvider.System, cts.Token));

        Assert.Equal("org.freedesktop.DBus.Error.NameHasNoOwner", ex.ErrorName);
    }

    [Fact]
    public async Task ConnectAsync_NoSocketAtPath_ThrowsConnectFailed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<DBusConnectFailedException>(
            () => SystemdManager.ConnectAsync($"unix:path=/tmp/rbm-no-such-{Guid.NewGuid():N}", TimeProvider.System, cts.Token));
    }
}
