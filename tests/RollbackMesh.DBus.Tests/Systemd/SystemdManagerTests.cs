using RollbackMesh.DBus.Systemd;
using RollbackMesh.DBus.Tests.Infrastructure;

namespace RollbackMesh.DBus.Tests.Systemd;

/// <summary>Against a real systemd 252 user manager (see <see cref="SystemdUserFixture"/>).</summary>
public sealed class SystemdManagerTests(SystemdUserFixture systemd) : IClassFixture<SystemdUserFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StartUnitAsync_SimpleUnit_DoneAndActiveRunning()
    {
        await using var manager = await systemd.ConnectAsync();

        var result = await manager.StartUnitAsync("rbm-start.service", JobTimeout, Cancel());

        Assert.Equal(JobResult.Done, result.Result);
        Assert.Equal("rbm-start.service", result.Unit);
        Assert.StartsWith("/org/freedesktop/systemd1/job/", result.JobPath, StringComparison.Ordinal);
        Assert.Equal(new UnitState("rbm-start.service", "loaded", "active", "running"), await manager.GetUnitStateAsync("rbm-start.service", Cancel()));
    }

    [Fact]
    public async Task StopUnitAsync_RunningUnit_DoneAndInactiveDead()
    {
        await using var manager = await systemd.ConnectAsync();
        await manager.StartUnitAsync("rbm-stop.service", JobTimeout, Cancel());

        var result = await manager.StopUnitAsync("rbm-stop.service", JobTimeout, Cancel());

        Assert.Equal(JobResult.Done, result.Result);
        Assert.Equal(new UnitState("rbm-stop.service", "loaded", "inactive", "dead"), await manager.GetUnitStateAsync("rbm-stop.service", Cancel()));
    }

    [Fact]
    public async Task RestartUnitAsync_RunningUnit_DoneWithNewMainProcess()
    {
        await using var manager = await systemd.ConnectAsync();
        await manager.StartUnitAsync("rbm-restart.service", JobTimeout, Cancel());
        var before = await GetMainPidAsync(manager, "rbm-restart.service");

        var result = await manager.RestartUnitAsync("rbm-restart.service", JobTimeout, Cancel());

        Assert.Equal(JobResult.Done, result.Result);
        var after = await GetMainPidAsync(manager, "rbm-restart.service");
        Assert.NotEqual(0u, before);
        Assert.NotEqual(0u, after);
        Assert.NotEqual(before, after);
        Assert.Equal("active", (await manager.GetUnitStateAsync("rbm-restart.service", Cancel())).ActiveState);
    }

    [Fact]
    public async Task StartUnitAsync_OneshotExitingNonZero_FailedAndUnitFailed()
    {
        await using var manager = await systemd.ConnectAsync();

        var result = await manager.StartUnitAsync("rbm-fail.service", JobTimeout, Cancel());

        Assert.Equal(JobResult.Failed, result.Result);
        Assert.Equal("failed", (await manager.GetUnitStateAsync("rbm-fail.service", Cancel())).ActiveState);
    }

    [Fact]
    public async Task StartUnitAsync_MissingUnit_ThrowsUnitNotFound()
    {
        await using var manager = await systemd.ConnectAsync();

        var ex = await Assert.ThrowsAsync<UnitNotFoundException>(() => manager.StartUnitAsync("rbm-missing.service", JobTimeout, Cancel()));

        Assert.Equal("rbm-missing.service", ex.Unit);
        Assert.Equal(SystemdManager.NoSuchUnitError, Assert.IsType<DBusErrorException>(ex.InnerException).ErrorName);
    }

    [Fact]
    public async Task GetUnitStateAsync_MissingUnit_ThrowsUnitNotFound()
    {
        await using var manager = await systemd.ConnectAsync();

        var ex = await Assert.ThrowsAsync<UnitNotFoundException>(() => manager.GetUnitStateAsync("rbm-missing.service", Cancel()));

        Assert.Equal("rbm-missing.service", ex.Unit);
    }

    [Fact]
    public async Task GetUnitStateAsync_NeverStartedUnit_LoadedInactiveDead()
    {
        await using var manager = await systemd.ConnectAsync();

        Assert.Equal(new UnitState("rbm-state.service", "loaded", "inactive", "dead"), await manager.GetUnitStateAsync("rbm-state.service", Cancel()));
    }

    [Fact]
    public async Task ReloadUnitAsync_UnitWithExecReload_DoneAndReloadCommandRan()
    {
        await using var manager = await systemd.ConnectAsync();
        await manager.StartUnitAsync("rbm-reload.service", JobTimeout, Cancel());
        var marker = Path.Combine(systemd.WorkDirectory, SystemdTestUnits.ReloadMarkerFile);
        Assert.False(File.Exists(marker));

        var result = await manager.ReloadUnitAsync("rbm-reload.service", JobTimeout, Cancel());

        Assert.Equal(JobResult.Done, result.Result);
        Assert.Equal("reloaded\n", await File.ReadAllTextAsync(marker));
    }

    [Fact]
    public async Task StartUnitAsync_JobOutlastsTimeout_ThrowsTimeoutNamingUnit()
    {
        await using var manager = await systemd.ConnectAsync();
        try
        {
            var ex = await Assert.ThrowsAsync<TimeoutException>(
                () => manager.StartUnitAsync("rbm-slow.service", TimeSpan.FromMilliseconds(500), Cancel()));
            Assert.Contains("'rbm-slow.service'", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            await manager.StopUnitAsync("rbm-slow.service", JobTimeout, Cancel());
        }
    }

    [Fact]
    public async Task StartUnitAsync_ConcurrentJobsOnOneConnection_EachGetsItsOwnJob()
    {
        await using var manager = await systemd.ConnectAsync();
        string[] units = ["rbm-par1.service", "rbm-par2.service", "rbm-par3.service"];

        var results = await Task.WhenAll(units.Select(u => manager.StartUnitAsync(u, JobTimeout, Cancel())));

        Assert.Equal(units, results.Select(r => r.Unit));
        Assert.All(results, r => Assert.Equal(JobResult.Done, r.Result));
        Assert.Equal(3, results.Select(r => r.JobPath).Distinct().Count());
    }

    [Fact]
    public async Task RestartUnitAsync_SameUnitTwiceAtOnce_BothCallsComplete()
    {
        await using var manager = await systemd.ConnectAsync();
        await manager.StartUnitAsync("rbm-restart.service", JobTimeout, Cancel());

        var results = await Task.WhenAll(
            manager.RestartUnitAsync("rbm-restart.service", JobTimeout, Cancel()),
            manager.RestartUnitAsync("rbm-restart.service", JobTimeout, Cancel()));

        Assert.All(results, r => Assert.Equal(JobResult.Done, r.Result));
    }

    [Theory]
    [InlineData("")]
    [InlineData("nginx")]
    [InlineData("bad name.service")]
    [InlineData("x.service; rm -rf /")]
    public async Task StartUnitAsync_InvalidUnitName_ThrowsArgumentException(string unit)
    {
        await using var manager = await systemd.ConnectAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => manager.StartUnitAsync(unit, JobTimeout, Cancel()));
    }

    private static async Task<uint> GetMainPidAsync(SystemdManager manager, string unit)
    {
        var load = await manager.Connection.CallMethodAsync(
            new MethodCall(SystemdManager.ServiceName, SystemdManager.ManagerPath, SystemdManager.ManagerInterface, "LoadUnit")
            {
                Signature = "s",
                Arguments = [unit],
            },
            Cancel());
        var get = new MethodCall(SystemdManager.ServiceName, ((ObjectPath)load.Body[0]).Value, "org.freedesktop.DBus.Properties", "Get")
        {
            Signature = "ss",
            Arguments = ["org.freedesktop.systemd1.Service", "MainPID"],
        };
        var reply = await manager.Connection.CallMethodAsync(get, Cancel());
        return (uint)((DBusVariant)reply.Body[0]).Value;
    }

    private static CancellationToken Cancel() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
