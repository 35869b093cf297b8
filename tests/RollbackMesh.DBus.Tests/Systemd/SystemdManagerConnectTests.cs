using RollbackMesh.DBus.Systemd;
using RollbackMesh.DBus.Tests.Infrastructure;

namespace RollbackMesh.DBus.Tests.Systemd;

/// <summary>Connecting to a real bus on which no systemd runs.</summary>
public sealed class SystemdManagerConnectTests(DBusDaemonFixture bus) : IClassFixture<DBusDaemonFixture>
{
    [Fact]
    public async Task ConnectAsync_BusWithoutSystemd_ThrowsNameHasNoOwner()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<DBusErrorException>(() => SystemdManager.ConnectAsync(bus.Address, cts.Token));

        Assert.Equal("org.freedesktop.DBus.Error.NameHasNoOwner", ex.ErrorName);
    }

    [Fact]
    public async Task ConnectAsync_NoSocketAtPath_ThrowsIOException()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<IOException>(() => SystemdManager.ConnectAsync($"unix:path=/tmp/rbm-no-such-{Guid.NewGuid():N}", cts.Token));
    }
}
