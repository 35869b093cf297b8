using RollbackMesh.Agent.Systemd;
using RollbackMesh.Agent.Tests.Testbeds;
using Tmds.DBus.Protocol;

namespace RollbackMesh.Agent.Tests.Systemd;

/// <summary>Against a real systemd 252 user manager (see <see cref="SystemdUserFixture"/>).</summary>
public sealed class SystemdManagerTests(SystemdUserFixture systemd) : IClassFixture<SystemdUserFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StartUnitAsync_SimpleUnit_DoneAndActiveRunning()
    {
        using var manager = await systemd.ConnectAsync();

        var result = await manager.StartUnitAsync("rbm-start.service", JobTimeout, Cancel());

        Assert.Equal(JobResult.Done, result.Result);
        Assert.Equal("rbm-start.service", result.Unit);
        Assert.StartsWith("/org/freedesktop/systemd1/job/", result.JobPath, StringComparison.Ordinal);
        Assert.Equal(new UnitState("rbm-start.service", "loaded", "active", "running"), await manager.GetUnitStateAsync("rbm-start.service", Cancel()));
    }

    [Fact]
    public async Task StopUnitAsync_RunningUnit_DoneAndInactiveDead()
    {
        using var manager = await systemd.ConnectAsync();
        await manager.StartUnitAsync("rbm-stop.service", JobTimeout, Cancel());

        var result = await manager.StopUnitAsync("rbm-stop.service", JobTimeout, Cancel());

        Assert.Equal(JobResult.Done, result.Result);
        Assert.Equal(new UnitState("rbm-stop.service", "loaded", "inactive", "dead"), await manager.GetUnitStateAsync("rbm-stop.service", Cancel()));
    }

    [Fact]
    public async Task RestartUnitAsync_RunningUnit_DoneWithNewMainProcess()
    {
        using var manager = await systemd.ConnectAsync();
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
    public async Task GetUnitStateAsync_ServiceRestartedBySystemd_ReportsItsRestartCount()
    {
        using var manager = await systemd.ConnectAsync();
        await manager.StartUnitAsync("rbm-start.service", JobTimeout, Cancel());
        Assert.Equal(0u, (await manager.GetUnitStateAsync("rbm-start.service", Cancel())).Restarts);

        await manager.StartUnitAsync("rbm-flap.service", JobTimeout, Cancel());
        var giveUp = DateTime.UtcNow.AddSeconds(15);
        UnitState state;
        while ((state = await manager.GetUnitStateAsync("rbm-flap.service", Cancel())).Restarts < 2)
        {
            Assert.True(DateTime.UtcNow < giveUp, $"rbm-flap.service was restarted {state.Restarts} time(s) in 15 s; expected 2 (Restart=always, RestartSec=200ms)");
            await Task.Delay(100);
        }

        await manager.StopUnitAsync("rbm-flap.service", JobTimeout, Cancel());
    }

    [Fact]
    public async Task StartUnitAsync_OneshotExitingNonZero_FailedAndUnitFailed()
    {
        using var manager = await systemd.ConnectAsync();

        var result = await manager.StartUnitAsync("rbm-fail.service", JobTimeout, Cancel());

        Assert.Equal(JobResult.Failed, result.Result);
        Assert.Equal("failed", (await manager.GetUnitStateAsync("rbm-fail.service", Cancel())).ActiveState);
    }

    [Fact]
    public async Task StartUnitAsync_MissingUnit_ThrowsUnitNotFound()
    {
        using var manager = await systemd.ConnectAsync();

        var ex = await Assert.ThrowsAsync<UnitNotFoundException>(() => manager.StartUnitAsync("rbm-missing.service", JobTimeout, Cancel()));

        Assert.Equal("rbm-missing.service", ex.Unit);
        Assert.Equal(SystemdManager.NoSuchUnitError, Assert.IsType<DBusErrorReplyException>(ex.InnerException).ErrorName);
    }

    [Fact]
    public async Task GetUnitStateAsync_MissingUnit_ThrowsUnitNotFound()
    {
        using var manager = await systemd.ConnectAsync();

        var ex = await Assert.ThrowsAsync<UnitNotFoundException>(() => manager.GetUnitStateAsync("rbm-missing.service", Cancel()));

        Assert.Equal("rbm-missing.service", ex.Unit);
    }

    [Fact]
    public async Task GetUnitStateAsync_NeverStartedUnit_LoadedInactiveDead()
    {
        using var manager = await systemd.ConnectAsync();

        Assert.Equal(new UnitState("rbm-state.service", "loaded", "inactive", "dead"), await manager.GetUnitStateAsync("rbm-state.service", Cancel()));
    }

    [Fact]
    public async Task ReloadUnitAsync_UnitWithExecReload_DoneAndReloadCommandRan()
    {
        using var manager = await systemd.ConnectAsync();
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
        using var manager = await systemd.ConnectAsync();
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
        using var manager = await systemd.ConnectAsync();
        string[] units = ["rbm-par1.service", "rbm-par2.service", "rbm-par3.service"];

        var results = await Task.WhenAll(units.Select(u => manager.StartUnitAsync(u, JobTimeout, Cancel())));

        Assert.Equal(units, results.Select(r => r.Unit));
        Assert.All(results, r => Assert.Equal(JobResult.Done, r.Result));
        Assert.Equal(3, results.Select(r => r.JobPath).Distinct().Count());
    }

    [Fact]
    public async Task RestartUnitAsync_SameUnitTwiceAtOnce_BothCallsComplete()
    {
        using var manager = await systemd.ConnectAsync();
        await manager.StartUnitAsync("rbm-restart.service", JobTimeout, Cancel());

        var results = await Task.WhenAll(
            manager.RestartUnitAsync("rbm-restart.service", JobTimeout, Cancel()),
            manager.RestartUnitAsync("rbm-restart.service", JobTimeout, Cancel()));

        Assert.All(results, r => Assert.Equal(JobResult.Done, r.Result));
    }

    [Fact]
    public async Task StartUnitAsync_CallerCancelsWhileJobRuns_ThrowsCanceledNotTimeout()
    {
        using var manager = await systemd.ConnectAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // The library's calls take no token: the manager's own wait must end when the caller's token fires.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => manager.StartUnitAsync("rbm-slow.service", JobTimeout, cancel.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }
        finally
        {
            await manager.StopUnitAsync("rbm-slow.service", JobTimeout, Cancel());
        }
    }

    [Fact]
    public async Task StartUnitAsync_JobRemovedForgedByAnotherClient_IsIgnored()
    {
        using var manager = await systemd.ConnectAsync();
        using var forger = new DBusConnection(systemd.BusAddress);
        await forger.ConnectAsync();
        var start = manager.StartUnitAsync("rbm-slow.service", TimeSpan.FromSeconds(4), Cancel());
        try
        {
            var (id, job) = await WaitForJobAsync(manager, "rbm-slow.service");

            // Both ways a signal reaches the agent: broadcast (through its match rule) and addressed to its unique name.
            foreach (var destination in new[] { null, manager.Connection.UniqueName })
            {
                Assert.True(forger.TrySendMessage(JobRemovedSignal(forger, destination, id, job, "rbm-slow.service")));
            }

            await Assert.ThrowsAsync<TimeoutException>(() => start);
        }
        finally
        {
            await manager.StopUnitAsync("rbm-slow.service", JobTimeout, Cancel());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("nginx")]
    [InlineData("bad name.service")]
    [InlineData("x.service; rm -rf /")]
    public async Task StartUnitAsync_InvalidUnitName_ThrowsArgumentException(string unit)
    {
        using var manager = await systemd.ConnectAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => manager.StartUnitAsync(unit, JobTimeout, Cancel()));
    }

    private static async Task<(uint Id, string Path)> WaitForJobAsync(SystemdManager manager, string unit)
    {
        var path = await manager.LoadUnitAsync(unit, Cancel());
        for (var attempt = 0; attempt < 100; attempt++)
        {
            // Unit.Job is (uo): the queued job's id and path, or (0, "/") when there is none.
            var job = await manager.GetPropertyAsync(path, SystemdManager.UnitInterface, "Job",
                static v => (v.GetItem(0).GetUInt32(), v.GetItem(1).GetObjectPathAsString()), Cancel());
            if (job.Item1 != 0)
            {
                return job;
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException($"no job queued for {unit}");
    }

    private static MessageBuffer JobRemovedSignal(DBusConnection connection, string? destination, uint id, string job, string unit)
    {
        var writer = connection.GetMessageWriter();
        try
        {
            writer.WriteSignalHeader(destination, SystemdManager.ManagerPath, SystemdManager.ManagerInterface, "JobRemoved", "uoss");
            writer.WriteUInt32(id);
            writer.WriteObjectPath(job);
            writer.WriteString(unit);
            writer.WriteString("done");
            return writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static async Task<uint> GetMainPidAsync(SystemdManager manager, string unit)
    {
        var path = await manager.LoadUnitAsync(unit, Cancel());
        return await manager.GetPropertyAsync(path, SystemdManager.ServiceInterface, "MainPID", static v => v.GetUInt32(), Cancel());
    }

    private static CancellationToken Cancel() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
