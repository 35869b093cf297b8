using System.Diagnostics;
using Grpc.Core;
using RollbackMesh.Demo;
using RollbackMesh.FunctionalTests.Infrastructure;
using RollbackMesh.V1;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>
/// The coordinator SIGKILLed at a random moment of a run and restarted on the same port and data, 10 trials on a
/// sandbox fleet of real processes (issue 16 item 4). The agents stay up across each kill, so every step's outcome is
/// in a journal: the run must succeed with every step run once (<see cref="RunAccount"/>).
/// </summary>
public sealed class ChaosCoordinatorKillTests(ITestOutputHelper output)
{
    // Two fleets take five trials each at once: a trial mostly waits (reconnect backoff, health reports), so two
    // lanes halve the wall time on 2 cores without starving either.
    private const int Lanes = 2;

    private const string MissedKill = "the kill did not fall during the run";

    [Fact]
    public async Task Coordinator_SigkilledAtRandomMomentsOfRunsAndRestarted_EveryStepRunsOnceAndSucceeds()
    {
        var states = Enumerable.Range(0, Lanes).Select(lane => new StateDirectory($"rm-chaos-coordinator-{lane}-")).ToList();
        var hosts = new List<SandboxFleetHost>();
        try
        {
            foreach (var state in states)
            {
                hosts.Add(await SandboxFleetHost.StartAsync(state.Path, 2, 1, output.WriteLine, CancellationToken.None, ChaosRunbook.WriteUnder(state.Path)));
            }

            var loop = new ChaosLoop(output, nameof(Coordinator_SigkilledAtRandomMomentsOfRunsAndRestarted_EveryStepRunsOnceAndSucceeds));
            await loop.RunAsync("chaos_coordinator_kill_trials", 10, Lanes, (lane, trial, random) => TrialAsync(hosts[lane], trial, random));
            states.ForEach(s => s.Passed = true);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }

            states.ForEach(s => s.Dispose());
        }
    }

    /// <summary>
    /// One trial: a run, a SIGKILL of its coordinator at a random milestone, a restart, and the run's account. A kill
    /// that came after the run had ended (a machine slow enough to outrun the milestone's offset) is not a trial of a
    /// kill during a run: its run is still checked, and the trial is drawn again, twice at most.
    /// </summary>
    private async Task<IReadOnlyList<string>> TrialAsync(SandboxFleetHost host, int trial, Random random)
    {
        var missed = new List<string>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var (duringRun, problems) = await KillDuringARunAsync(host, trial, random);
            if (duringRun || attempt == 3)
            {
                return [.. missed, .. problems];
            }

            output.WriteLine($"trial {trial}: the kill came after the run had ended; drawn again");
            missed.AddRange(problems.Where(p => !p.StartsWith(MissedKill, StringComparison.Ordinal)));
        }

        throw new UnreachableException();
    }

    private async Task<(bool DuringRun, List<string> Problems)> KillDuringARunAsync(SandboxFleetHost host, int trial, Random random)
    {
        var clock = Stopwatch.StartNew();
        if (trial > Lanes)
        {
            // The agents stay up across the kill; between trials they start afresh, because their reconnect
            // backoff resets only after 30 s connected, and back-to-back kills would otherwise measure its
            // 30 s ceiling instead of the coordinator's recovery.
            await RestartAgentsAsync(host);
        }

        await host.WaitForAgentsAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        var ready = clock.Elapsed;
        var sleep = random.Next(400, 900);
        var milestone = KillMilestones[random.Next(KillMilestones.Length)];
        // Half a step at most: after the last milestone the agent's second step is still running.
        var offset = TimeSpan.FromMilliseconds(random.Next(0, sleep / 2));
        var down = TimeSpan.FromMilliseconds(random.Next(0, 2000));
        var run = await FleetRunDriver.StartAsync(host, ChaosRunbook.Name, ChaosRuns.SleepMs(sleep), CancellationToken.None);
        var started = clock.Elapsed;
        await WaitForRunAsync(host, run.RunId, milestone.Reached);
        await Task.Delay(offset);
        var before = await ChaosRuns.GetRunAsync(host, run.RunId);
        await host.KillCoordinatorAsync();
        var killed = clock.Elapsed;
        await Task.Delay(down);
        await host.RestartCoordinatorAsync(CancellationToken.None);
        var final = await FleetRunDriver.FinishAsync(host, run.RunId, ChaosRuns.RunLimit, CancellationToken.None);
        output.WriteLine($"trial {trial}: steps of {sleep} ms, SIGKILL {offset.TotalSeconds:0.0} s after {milestone.Name} of {run.RunId} ({ChaosRuns.Progress(before)}), "
            + $"down {down.TotalSeconds:0.0} s; run {final.State}: {final.Message} "
            + $"(agents ready {ready.TotalSeconds:0.0} s, started {started.TotalSeconds:0.0} s, killed {killed.TotalSeconds:0.0} s, ended {clock.Elapsed.TotalSeconds:0.0} s)");

        var problems = RunAccount.Problems(host, final).ToList();
        var duringRun = before.State is RunState.Running or RunState.AwaitingApproval;
        if (!duringRun)
        {
            problems.Add($"{MissedKill}: it was {before.State} three times");
        }

        // The agents never stopped, so every step's outcome is in a journal: nothing excuses less than success.
        if (final.State != RunState.Succeeded)
        {
            problems.Add($"run {run.RunId} ended {final.State} after a coordinator restart with every agent up: {final.Message}");
        }

        return (duringRun, problems);
    }

    /// <summary>Moments of a chaos run on 2 servers and an agent after which a coordinator kill falls (each stays true once reached).</summary>
    private static readonly (string Name, Func<RunStatus, bool> Reached)[] KillMilestones =
    [
        ("the start", _ => true),
        ("the first server's first step was sent", r => Reached(r, "servers", "server-1", "first", StepState.Dispatched)),
        ("the other server's first step was sent", r => Reached(r, "servers", "server-2", "first", StepState.Dispatched)),
        ("the servers' steps ended (their gate)", r => Reached(r, "servers", null, null, StepState.Succeeded)),
        ("the agent's first step was sent", r => Reached(r, "agents", null, "first", StepState.Dispatched)),
        ("the agent's second step was sent", r => Reached(r, "agents", null, "second", StepState.Dispatched)),
    ];

    /// <summary>True once every matching step is at least sent (<see cref="StepState.Dispatched"/>) or has succeeded, or the run stopped running.</summary>
    private static bool Reached(RunStatus run, string phase, string? node, string? step, StepState atLeast) =>
        run.State is not RunState.Running || run.Steps.Where(s => s.Phase == phase && (node is null || s.Node == node) && (step is null || s.Name == step))
            .All(s => atLeast == StepState.Succeeded ? s.State == StepState.Succeeded : s.State is not StepState.Pending);

    /// <summary>Polls the run every 50 ms until <paramref name="reached"/> holds (60 s at most).</summary>
    private static async Task WaitForRunAsync(SandboxFleetHost host, string runId, Func<RunStatus, bool> reached)
    {
        using var channel = host.OpenChannel();
        var client = new Operator.OperatorClient(channel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        RunStatus run;
        while (!reached(run = await client.GetRunAsync(new GetRunRequest { RunId = runId }, new CallOptions())))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"run {runId} did not reach the kill's moment within 60 s: {ChaosRuns.Progress(run)}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task RestartAgentsAsync(SandboxFleetHost host)
    {
        foreach (var node in host.Fleet.Nodes)
        {
            await host.KillAgentAsync(node.Name);
            host.RestartAgent(node.Name);
        }
    }
}
