using Google.Protobuf.WellKnownTypes;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Steps;

public sealed class StepRunnerTests : IDisposable
{
    private readonly AgentHarness _h = new();
    private readonly string _script;
    private readonly string _log;

    public StepRunnerTests()
    {
        // A stand-in k3s-killall.sh that leaves a trace of every run.
        _log = _h.Root["killall.log"];
        _script = Path.Combine(_h.Allowed, "k3s-killall.sh");
        Sh.WriteScript(_script, $"echo killing k3s\necho run >> '{_log}'\n");
    }

    private static StepCommand KillAll(string script, string run = "run-1", string step = "step-1") => new()
    {
        RunId = run,
        StepId = step,
        Action = new RollbackMesh.V1.Action { K3SKillall = new K3sKillAll { ScriptPath = script } },
    };

    private int Runs => File.Exists(_log) ? File.ReadAllLines(_log).Length : 0;

    [Fact]
    public async Task RunAsync_StandInKillAll_StreamsRunningOutputAndTerminal()
    {
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var updates = new List<StepUpdate>();
        var result = await runner.RunAsync(KillAll(_script), updates.Add, CancellationToken.None);
        Assert.Equal(StepState.Succeeded, result.State);
        Assert.Equal(StepState.Running, updates[0].State);
        Assert.Contains(updates, u => u.OutputChunk == "killing k3s\n");
        Assert.Equal(StepState.Succeeded, updates[^1].State);
        Assert.Equal(result, updates[^1].Result);
        Assert.All(updates, u => Assert.Equal(("run-1", "step-1"), (u.RunId, u.StepId)));
    }

    [Fact]
    public async Task RunAsync_ResentAfterRunnerRestart_ReturnsRecordedOutcomeWithoutRunning()
    {
        StepResult first;
        var (runner, journal) = _h.Runner();
        using (journal)
        {
            first = await runner.RunAsync(KillAll(_script), _ => { }, CancellationToken.None);
        }

        var (restarted, journal2) = _h.Runner();
        using var _ = journal2;
        var second = await restarted.RunAsync(KillAll(_script), _ => { }, CancellationToken.None);
        Assert.Equal(1, Runs);
        Assert.Equal(first, second);
        Assert.Equal(StepState.Succeeded, second.State);
    }

    [Fact]
    public async Task RunAsync_StartedButNeverFinished_ReportsInterruptedAndDoesNotRun()
    {
        var started = DateTimeOffset.UtcNow.AddMinutes(-3);
        using (var crashed = new RollbackMesh.Agent.Journal.StepJournal(_h.JournalPath))
        {
            crashed.TryBegin("run-1", "step-1", "k3s_killall", started);
        }

        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var result = await runner.RunAsync(KillAll(_script), _ => { }, CancellationToken.None);
        Assert.Equal(StepState.Failed, result.State);
        Assert.StartsWith("interrupted, state unknown; run run-1 step step-1 was started at", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, Runs);
        var report = runner.QueryJournal(new JournalQuery { RunId = "run-1" });
        Assert.Equal(StepState.Failed, Assert.Single(report.Entries).State);
    }

    [Fact]
    public void RecentJournal_StepStartedBeforeARestart_ReportedInterruptedNotRunning()
    {
        // What the agent sends after Hello: a RUNNING entry here would have the coordinator wait for an update that
        // the dead process will never send (issue 16 item 6a).
        using (var crashed = new RollbackMesh.Agent.Journal.StepJournal(_h.JournalPath))
        {
            crashed.TryBegin("run-1", "step-1", "k3s_killall", DateTimeOffset.UtcNow.AddSeconds(-5));
        }

        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var entry = Assert.Single(runner.RecentJournal(50).Entries);
        Assert.Equal(("run-1", "step-1", StepState.Failed), (entry.RunId, entry.StepId, entry.State));
        Assert.StartsWith("interrupted, state unknown;", entry.Result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecentJournal_StepStillRunningHere_ReportedRunning()
    {
        var gate = _h.Root["gate"];
        Sh.WriteScript(_script, $"while [ ! -e '{gate}' ]; do sleep 0.05; done\necho run >> '{_log}'\n");
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var step = runner.RunAsync(KillAll(_script), u => { if (u.State == StepState.Running) { running.TrySetResult(); } }, CancellationToken.None);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(StepState.Running, Assert.Single(runner.RecentJournal(50).Entries).State);
        File.WriteAllText(gate, "");
        Assert.Equal(StepState.Succeeded, (await step.WaitAsync(TimeSpan.FromSeconds(10))).State);
    }

    [Fact]
    public async Task RunAsync_ScriptOutsideAllowedRoots_RefusedNamingPathAndJournaled()
    {
        var outside = _h.Root["outside.sh"];
        Sh.WriteScript(outside, $"echo run >> '{_log}'\n");
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var result = await runner.RunAsync(KillAll(outside), _ => { }, CancellationToken.None);
        Assert.Equal(StepState.Refused, result.State);
        Assert.Contains(outside, result.Error, StringComparison.Ordinal);
        Assert.Equal(0, Runs);
        Assert.Equal(StepState.Refused, Assert.Single(runner.QueryJournal(new JournalQuery { RunId = "run-1" }).Entries).State);
    }

    [Fact]
    public async Task RunAsync_DryRun_DescribesWithoutRunningOrJournaling()
    {
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var command = KillAll(_script);
        command.DryRun = true;
        var result = await runner.RunAsync(command, _ => { }, CancellationToken.None);
        Assert.Equal(StepState.Succeeded, result.State);
        Assert.Contains(_script, result.DryRun, StringComparison.Ordinal);
        Assert.Equal(0, Runs);
        Assert.Empty(runner.QueryJournal(new JournalQuery { RunId = "run-1" }).Entries);
    }

    [Fact]
    public async Task RunAsync_DeadlineShorterThanStep_TimedOut()
    {
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var command = new StepCommand
        {
            RunId = "r",
            StepId = "slow",
            Action = new RollbackMesh.V1.Action { NoOp = new NoOp { SleepMilliseconds = 30_000 } },
            Deadline = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMilliseconds(300)),
        };
        var result = await runner.RunAsync(command, _ => { }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(StepState.TimedOut, result.State);
    }

    [Fact]
    public async Task Cancel_RunningStep_CancelledAndRecorded()
    {
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var running = new TaskCompletionSource();
        var command = new StepCommand
        {
            RunId = "r",
            StepId = "long",
            Action = new RollbackMesh.V1.Action { NoOp = new NoOp { SleepMilliseconds = 30_000 } },
        };
        var task = runner.RunAsync(command, u => { if (u.State == StepState.Running) { running.TrySetResult(); } }, CancellationToken.None);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(runner.Cancel("r", "long"));
        var result = await task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(StepState.Cancelled, result.State);
        Assert.Equal(StepState.Cancelled, (await runner.RunAsync(command, _ => { }, CancellationToken.None)).State);
    }

    [Fact]
    public async Task RunAsync_ResentWhileRunning_JoinsTheRunningStep()
    {
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var command = new StepCommand { RunId = "r", StepId = "s", Action = new RollbackMesh.V1.Action { NoOp = new NoOp { SleepMilliseconds = 300 } } };
        var first = runner.RunAsync(command, _ => { }, CancellationToken.None);
        var second = runner.RunAsync(command, _ => { }, CancellationToken.None);
        var results = await Task.WhenAll(first, second);
        Assert.All(results, r => Assert.Equal(StepState.Succeeded, r.State));
        Assert.Equal(results[0].StartedAt, results[1].StartedAt);
    }

    public void Dispose() => _h.Dispose();
}
