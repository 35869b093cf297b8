using System.Diagnostics;
using Grpc.Core;
using RollbackMesh.Demo;
using RollbackMesh.FunctionalTests.Infrastructure;
using RollbackMesh.V1;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>
/// SIGKILL of a real agent process in the middle of its step, restarted 2 s later on the same journal, repeated as a
/// bounded trial loop (issue 16 item 6a): every trial must end the step with the journal's words ("interrupted, state
/// unknown") as soon as the agent is back, not "TimedOut" after the step's 1 min timeout, and never run it again.
/// The clock starts when the coordinator sees the agent connected again: a cold agent start on a loaded machine is
/// not what is measured.
/// </summary>
public sealed class AgentCrashTests(ITestOutputHelper output)
{
    private const int Trials = 5;

    // From the agent's reconnection; the old code waited out the noop runbook's 1 min step timeout from there.
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Run_AgentSigkilledMidStepAndRestarted_StepEndsInterruptedAtOnceInEveryTrial()
    {
        using var state = new StateDirectory("rm-agent-crash-");
        await using var host = await SandboxFleetHost.StartAsync(state.Path, 1, 1, output.WriteLine, CancellationToken.None);
        var agent = host.Fleet.Nodes.Single(n => !n.IsServer).Name;
        var passed = 0;
        var lastRun = "";
        var slowest = TimeSpan.Zero;
        for (var trial = 1; trial <= Trials; trial++)
        {
            await host.WaitForAgentsAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            var run = await FleetRunDriver.StartAsync(host, "noop", new Dictionary<string, string> { ["sleep_ms"] = "4000" }, CancellationToken.None);
            await FleetPolls.WaitForStepAsync(host, run.RunId, agent, s => s.State == StepState.Running, TimeSpan.FromSeconds(60));

            await host.KillAgentAsync(agent);
            await FleetPolls.WaitForConnectedAsync(host, agent, false);
            await Task.Delay(TimeSpan.FromSeconds(2));
            host.RestartAgent(agent);
            var sinceRestart = Stopwatch.StartNew();
            await FleetPolls.WaitForConnectedAsync(host, agent, true);
            var reconnectedAfter = sinceRestart.Elapsed;
            var sinceReconnect = Stopwatch.StartNew();
            var step = await FleetPolls.WaitForStepAsync(host, run.RunId, agent, s => s.State is not (StepState.Running or StepState.Dispatched), SettleLimit);
            slowest = sinceReconnect.Elapsed > slowest ? sinceReconnect.Elapsed : slowest;
            output.WriteLine($"trial {trial}: agent back {reconnectedAfter.TotalSeconds:0.0} s after its restart; step {step.State} "
                + $"{sinceReconnect.Elapsed.TotalSeconds:0.0} s later: {step.Error}");

            Assert.True(step.State == StepState.Failed, $"trial {trial}: {step.State}: {step.Error}");
            Assert.Contains("interrupted, state unknown", step.Error, StringComparison.Ordinal);
            var final = await FleetRunDriver.FinishAsync(host, run.RunId, TimeSpan.FromMinutes(2), CancellationToken.None);
            output.WriteLine($"trial {trial}: run {final.State}: {final.Message}");
            // Within the agents phase's failure budget, yet not plain success (issue 16 item 6b).
            Assert.True(final.State == RunState.SucceededWithFailures, $"trial {trial}: {final.State}: {final.Message}");
            Assert.StartsWith($"finished with failed nodes, within the failure budget: {agent}", final.Message, StringComparison.Ordinal);
            Assert.Equal(1, SandboxJournals.ExecutionsInLog(host.LogFile(agent), run.RunId, step.StepId));
            lastRun = run.RunId;
            passed++;
        }

        output.WriteLine($"agent SIGKILLed mid-step, restarted after 2 s, step settled from its journal: {passed}/{Trials}");
        output.WriteLine(FormattableString.Invariant($"figure agent_sigkill_mid_step_settled_from_journal {passed}/{Trials}"));
        output.WriteLine(FormattableString.Invariant($"figure agent_sigkill_settle_after_reconnect_max_s {slowest.TotalSeconds:0.0}"));

        // What an operator sees of such a run through the real CLI: the state by name, and watch's exit code.
        string[] connection = ["--coordinator", host.Coordinator.ToString(), "--insecure"];
        var status = await CliRun.RunAsync(output, [.. connection, "status", lastRun]);
        Assert.Contains(": succeeded-with-failures, phase", status.Stdout, StringComparison.Ordinal);
        var watch = await CliRun.RunAsync(output, [.. connection, "watch", lastRun]);
        Assert.Equal(5, watch.ExitCode);
        Assert.Contains("finished with failed nodes", watch.Stderr, StringComparison.Ordinal);
        var accepted = await CliRun.RunAsync(output, [.. connection, "watch", lastRun, "--accept-budget"]);
        Assert.Equal(0, accepted.ExitCode);
        state.Passed = true;
    }
}
