using RollbackMesh.Demo;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>
/// The real CLI's `watch` follows a run while the real coordinator process is SIGKILLed and restarted on the same port
/// and data (issue 16 item 6c): the run carries on, so the watch must say it is reconnecting and follow it to its end.
/// </summary>
public sealed class WatchAcrossCoordinatorRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Watch_CoordinatorSigkilledAndRestartedMidRun_ReconnectsAndFollowsTheRunToItsEnd()
    {
        using var state = new StateDirectory("rm-watch-restart-");
        await using var host = await SandboxFleetHost.StartAsync(state.Path, 1, 0, output.WriteLine, CancellationToken.None);
        await host.WaitForAgentsAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        var run = await FleetRunDriver.StartAsync(host, "noop", new Dictionary<string, string> { ["sleep_ms"] = "15000" }, CancellationToken.None);
        using var watch = TestProcess.Start("watch", BuiltExecutables.Cli, ["--coordinator", host.Coordinator.ToString(), "--insecure", "watch", run.RunId]);
        try
        {
            // The watch follows the run: its step is running on the agent when the coordinator dies.
            await watch.WaitForStdoutLineAsync(l => l.Contains("noop → running", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            await host.KillCoordinatorAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await host.RestartCoordinatorAsync(CancellationToken.None);

            var exitCode = await watch.WaitForExitAsync(TimeSpan.FromSeconds(90));
            Assert.True(exitCode == 0, $"watch exited {exitCode}:\n{watch.Output}");
            Assert.Contains("err: rollbackmesh: coordinator unreachable", watch.Output, StringComparison.Ordinal);
            Assert.Contains("reconnecting in", watch.Output, StringComparison.Ordinal);
            Assert.Contains("err: rollbackmesh: reconnected to the coordinator", watch.Output, StringComparison.Ordinal);
            Assert.Matches(@"out: Run run-\S+ \(noop, plan \S+\): succeeded, phase", watch.Output);
            output.WriteLine("figure watch_followed_across_coordinator_restart 1/1");
        }
        finally
        {
            output.WriteLine("--- watch output ---\n" + watch.Output);
        }

        state.Passed = true;
    }
}
