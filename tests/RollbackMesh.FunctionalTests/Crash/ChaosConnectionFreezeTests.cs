using RollbackMesh.Demo;
using RollbackMesh.FunctionalTests.Infrastructure;
using RollbackMesh.V1;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>
/// An agent's connection frozen by a TCP proxy (nothing forwarded either way, no reset) for 1-8 s and released, 4
/// trials (issue 16 item 4). The agent gives up on a connection silent past its keepalive and dials again; either
/// way no process died, so the run must succeed with every step run once (<see cref="RunAccount"/>).
/// </summary>
public sealed class ChaosConnectionFreezeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AgentConnection_FrozenByProxyAndReleased_RunFinishesWithEveryStepOnce()
    {
        using var state = new StateDirectory("rm-chaos-freeze-");
        await using var host = await SandboxFleetHost.StartAsync(state.Path, 1, 2, output.WriteLine, CancellationToken.None, ChaosRunbook.WriteUnder(state.Path));
        await using var proxy = FreezableTcpProxy.Start(host.Coordinator);
        const string behindProxy = "agent-1";
        await DialThroughAsync(host, behindProxy, proxy.Address);
        var loop = new ChaosLoop(output, nameof(AgentConnection_FrozenByProxyAndReleased_RunFinishesWithEveryStepOnce));
        var redialled = 0;
        await loop.RunAsync("chaos_connection_freeze_trials", 4, async (trial, random) =>
        {
            await host.WaitForAgentsAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            var sleep = random.Next(1000, 2000);
            // Odd trials freeze from a moment of the run (a gate, a command on its way); even ones while a step runs.
            var duringStep = trial % 2 == 0;
            var frozenStep = random.Next(2) == 0 ? "first" : "second";
            var freezeAfter = TimeSpan.FromMilliseconds(random.Next(0, duringStep ? sleep : 5000));
            // Past the agent's keepalive (a ping after 1 s of silence, 2 s for its answer) it gives up and dials again;
            // a shorter freeze only delays what crosses it.
            var frozenFor = TimeSpan.FromMilliseconds(random.Next(1000, 8000));
            var run = await FleetRunDriver.StartAsync(host, ChaosRunbook.Name, ChaosRuns.SleepMs(sleep), CancellationToken.None);
            if (duringStep)
            {
                await FleetPolls.WaitForStepAsync(host, run.RunId, behindProxy, s => s.State == StepState.Running, TimeSpan.FromSeconds(60),
                    ChaosRunbook.AgentsPhase, frozenStep);
            }

            await Task.Delay(freezeAfter);
            var accepted = proxy.Accepted;
            var before = await ChaosRuns.GetRunAsync(host, run.RunId);
            proxy.Freeze();
            await Task.Delay(frozenFor);
            proxy.Release();
            var final = await FleetRunDriver.FinishAsync(host, run.RunId, ChaosRuns.RunLimit, CancellationToken.None);
            var dialled = proxy.Accepted - accepted;
            redialled += dialled > 0 ? 1 : 0;
            output.WriteLine($"trial {trial}: steps of {sleep} ms, {behindProxy}'s connection frozen {freezeAfter.TotalSeconds:0.0} s "
                + $"{(duringStep ? $"into its {frozenStep} step" : "into the run")} ({ChaosRuns.Progress(before)}) for {frozenFor.TotalSeconds:0.0} s, {dialled} new connections; "
                + $"run {final.State}: {final.Message}");

            var problems = RunAccount.Problems(host, final).ToList();
            // No process died: the agent ran (or still runs) its step and journaled it, so the run must succeed.
            if (final.State != RunState.Succeeded)
            {
                problems.Add($"run {run.RunId} ended {final.State} after a {frozenFor.TotalSeconds:0.0} s freeze with no process lost: {final.Message}");
            }

            return problems;
        });
        output.WriteLine(FormattableString.Invariant($"figure chaos_connection_freeze_redialled {redialled}"));
        state.Passed = true;
    }

    /// <summary>
    /// Restarts <paramref name="node"/>'s agent dialling <paramref name="address"/> instead of the coordinator, with a
    /// 1 s keepalive that gives up after 2 s more, so a frozen connection is noticed within the trial.
    /// </summary>
    private static async Task DialThroughAsync(SandboxFleetHost host, string node, Uri address)
    {
        var config = host.Fleet.Nodes.Single(n => n.Name == node).ConfigPath;
        var direct = $"  address: {host.Coordinator.ToString().TrimEnd('/')}\n";
        var text = await File.ReadAllTextAsync(config);
        Assert.Contains(direct, text, StringComparison.Ordinal);
        await host.KillAgentAsync(node);
        await File.WriteAllTextAsync(config, text.Replace(direct,
            $"  address: {address.ToString().TrimEnd('/')}\n  keepAliveInterval: 1s\n  keepAliveTimeout: 2s\n", StringComparison.Ordinal));
        host.RestartAgent(node);
    }
}
