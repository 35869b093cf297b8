using System.Diagnostics;
using Grpc.Core;
using RollbackMesh.Demo;
using RollbackMesh.FunctionalTests.Infrastructure;
using RollbackMesh.V1;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>
/// SIGKILL of the real coordinator process in the middle of a run, restart on the same --data: the run resumes and
/// ends, and the agents' journals (and logs) show every step executed exactly once.
/// </summary>
public sealed class CoordinatorCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_CoordinatorSigkilledMidRunAndRestarted_NoStepRunsTwiceAndNoneIsLost()
    {
        using var state = new StateDirectory("rm-crash-");
        var clock = Stopwatch.StartNew();
        await using var host = await SandboxFleetHost.StartAsync(state.Path, 3, 2, output.WriteLine, CancellationToken.None);
        await host.WaitForAgentsAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        var run = await FleetRunDriver.StartAsync(host, "noop", new Dictionary<string, string> { ["sleep_ms"] = "3000" }, CancellationToken.None);
        output.WriteLine($"run {run.RunId} started at {clock.Elapsed.TotalSeconds:0.0} s");

        // Kill while the other servers' steps are in flight: dispatched or running on the agents.
        using (var channel = host.OpenChannel())
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var status = await new Operator.OperatorClient(channel).GetRunAsync(new GetRunRequest { RunId = run.RunId }, new CallOptions());
                if (status.Steps.Any(s => s.Phase == "other-servers" && s.State is StepState.Running or StepState.Dispatched))
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "the run never reached the other servers' steps");
                await Task.Delay(100);
            }
        }

        var killedAt = clock.Elapsed;
        await host.KillCoordinatorAsync();
        output.WriteLine($"coordinator SIGKILLed at {killedAt.TotalSeconds:0.0} s");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await host.RestartCoordinatorAsync(CancellationToken.None);
        output.WriteLine($"coordinator restarted on {host.Coordinator} at {clock.Elapsed.TotalSeconds:0.0} s");

        var final = await FleetRunDriver.FinishAsync(host, run.RunId, TimeSpan.FromMinutes(4), CancellationToken.None);
        output.WriteLine($"run {final.State} at {clock.Elapsed.TotalSeconds:0.0} s: {final.Message}");
        Assert.True(final.State == RunState.Succeeded, $"{final.State}: {final.Message}");

        var rows = SandboxJournals.Read(host.Fleet, run.RunId);
        Assert.Equal(final.Steps.Count, rows.Count);
        foreach (var step in final.Steps)
        {
            Assert.Equal(StepState.Succeeded, step.State);
            var row = Assert.Single(rows, r => r.StepId == step.StepId);
            Assert.Equal(step.Node, row.Node);
            Assert.Equal(SandboxJournals.Succeeded, row.Status);
            Assert.Equal(1, SandboxJournals.ExecutionsInLog(host.LogFile(step.Node), run.RunId, step.StepId));
        }

        state.Passed = true;
    }
}
