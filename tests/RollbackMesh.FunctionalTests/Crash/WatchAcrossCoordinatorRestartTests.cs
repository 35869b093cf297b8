using RollbackMesh.Cli.Demo;
using RollbackMesh.FunctionalTests.Infrastructure;
using Grpc.Core;
using RollbackMesh.V1;
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
        var run = await FleetRunDriver.StartAsync(host, "noop", new Dictionary<string, string> { ["sleep_ms"] = "6000" }, CancellationToken.None);
        string[] connection = ["--coordinator", host.Coordinator.ToString(), "--insecure"];
        var watch = CliRun.RunAsync(output, [.. connection, "watch", run.RunId]);
        using (var channel = host.OpenChannel())
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await new Operator.OperatorClient(channel).GetRunAsync(new GetRunRequest { RunId = run.RunId }, new CallOptions()))
                .Steps.All(s => s.State != StepState.Running))
            {
                Assert.True(DateTime.UtcNow < deadline, "the step never started");
                await Task.Delay(100);
            }
        }

        await Task.Delay(500); // the watch has printed the step running
        await host.KillCoordinatorAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await host.RestartCoordinatorAsync(CancellationToken.None);

        var watched = await watch;
        Assert.True(watched.ExitCode == 0, $"watch exited {watched.ExitCode}:\n{watched.Stdout}{watched.Stderr}");
        Assert.Contains("reconnecting", watched.Stderr, StringComparison.Ordinal);
        Assert.Contains("reconnected to the coordinator", watched.Stderr, StringComparison.Ordinal);
        Assert.Contains(": succeeded, phase", watched.Stdout, StringComparison.Ordinal);
        state.Passed = true;
    }
}
