using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Storage;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Execution;

/// <summary>The run's ledger on its own, over a real store, pumped by the test as the run's loop would be.</summary>
public sealed class RunLedgerTests : IAsyncDisposable
{
    private const string StepId = "p/agent1/a";
    private readonly TempRoot _root = new("rollbackmesh-ledger-");
    private readonly FakeTimeProvider _time = VirtualClock.At();
    private readonly ExecutorOptions _options = new() { JournalTimeout = TimeSpan.FromSeconds(5) };
    private readonly RunInbox _inbox = new();
    private readonly StoreReadingObserver _observer = new();
    private CoordinatorStore _store = null!;
    private RunLedger _ledger = null!;

    [Fact]
    public async Task StepChange_IsPublishedOnlyOnceItsWriteCommitted_ThenItsWaiterCompletes()
    {
        await StartAsync();
        var dispatched = _inbox.Ask<bool>(r => new DispatchStep(StepId, _time.GetUtcNow(), r));
        _ledger.Handle(await _inbox.Reader.ReadAsync());

        // Handled, but not committed yet as far as anyone outside the loop can see.
        Assert.Equal(StepState.Pending, _ledger.Step(StepId).State);
        Assert.False(dispatched.IsCompleted);

        await PumpUntilAsync(dispatched);

        Assert.True(await dispatched);
        Assert.Equal(StepState.Dispatched, _ledger.Step(StepId).State);
        // The observer was told only once the store held the change.
        Assert.Equal([StepState.Dispatched], _observer.StoredWhenTold);
        Assert.Equal(StepState.Dispatched, _store.LoadSteps(_ledger.RunId).Single(s => s.StepId == StepId).State);
    }

    [Fact]
    public async Task ChangesLandingTogether_ReachAWatcherAsOneEvent_NamedByTheLastChange()
    {
        await StartAsync();
        var watcher = Channel.CreateUnbounded<RunEventRecord>();
        _ledger.Handle(new AddWatcher(watcher));
        var dispatched = _inbox.Ask<bool>(r => new DispatchStep(StepId, _time.GetUtcNow(), r));
        var phase = _inbox.Ask<RunRecord>(r => new StartPhase("next", r));
        _ledger.Handle(await _inbox.Reader.ReadAsync());
        _ledger.Handle(await _inbox.Reader.ReadAsync());

        // Both writes have committed (each posts its landing notice) before the loop drains once.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.IsType<WriteLanded>(await _inbox.Reader.ReadAsync(giveUp.Token));
        Assert.IsType<WriteLanded>(await _inbox.Reader.ReadAsync(giveUp.Token));
        _ledger.Drain();

        Assert.True(await dispatched);
        Assert.Equal("next", (await phase).CurrentPhase);
        Assert.True(watcher.Reader.TryRead(out var initial));
        Assert.Equal(StepState.Pending, initial.Snapshot.Steps.Single().State);
        Assert.True(watcher.Reader.TryRead(out var change));
        Assert.Equal("phase next", change.Message);
        Assert.Equal(StepState.Dispatched, change.Snapshot.Steps.Single().State);
        Assert.Equal("next", change.Snapshot.Run.CurrentPhase);
        Assert.Same(_ledger.Snapshot, change.Snapshot);
        Assert.False(watcher.Reader.TryRead(out _));
    }

    [Fact]
    public async Task JournalWait_NoAnswerWithinTheTimeout_EndsWithNullOnTheTimersMessage()
    {
        await StartAsync();
        var answer = new TaskCompletionSource<ImmutableArray<JournalRecord>?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ledger.Handle(new AwaitJournal("agent1", answer));

        _time.Advance(_options.JournalTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(_inbox.Reader.TryRead(out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(_inbox.Reader.TryRead(out var expired));
        Assert.IsType<JournalWaitEnded>(expired);
        _ledger.Handle(expired);
        Assert.Null(await answer.Task);
    }

    [Fact]
    public async Task JournalAnswer_BeforeTheTimeout_DeliversOnlyThisRunsEntries()
    {
        await StartAsync();
        var answer = new TaskCompletionSource<ImmutableArray<JournalRecord>?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ledger.Handle(new AwaitJournal("agent1", answer));
        JournalRecord[] entries =
        [
            new(_ledger.RunId, StepId, StepState.Succeeded, null),
            new("run-other", StepId, StepState.Failed, null),
        ];

        _ledger.Handle(new JournalAnswered("agent1", [.. entries]));
        _time.Advance(_options.JournalTimeout);

        Assert.Equal<JournalRecord>([entries[0]], (await answer.Task)!.Value);
        Assert.False(_inbox.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Pause_RunAlreadyFinished_RefusedNamingItsState()
    {
        await StartAsync();
        var finished = _inbox.Ask<RunRecord>(r => new FinishRun(RunState.Succeeded, "completed", r));
        await PumpUntilAsync(finished);

        var pause = _inbox.Ask<RunRecord>(r => new PauseRun("tester", "look", r));
        _ledger.Handle(await _inbox.Reader.ReadAsync());

        var refused = await Assert.ThrowsAsync<RunStateException>(() => pause);
        Assert.Equal($"Run {_ledger.RunId} already ended Succeeded.", refused.Message);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _root.Dispose();
    }

    private async Task StartAsync()
    {
        _store = CoordinatorStore.Open(_root["coordinator.db"]);
        var plan = TestPlans.Create(TestPlans.Phase("p", ["agent1"], ["a"]));
        var now = _time.GetUtcNow();
        var steps = plan.AllSteps.Select((s, i) => new StepRecord("run-1", s.StepId, i, s.Node, s.Phase, s.Name, StepState.Pending, "", "", now, false, 0)).ToList();
        var run = new RunRecord("run-1", plan.Runbook, plan.Hash, RunState.Running, "p", "started", "tester", now, null, "", false);
        await _store.InsertRunAsync(run, plan, steps, new AuditEntry(now, "tester", "run.start", "run-1", "test"));
        var registry = new FleetRegistry(new FleetOptions(), _time, _store);
        var hub = new AgentSessionHub(registry, new FleetOptions(), _time, NullLogger<AgentSessionHub>.Instance, new RunInboxes(_store, _time, NullLogger<RunInboxes>.Instance));
        var context = new ExecutorContext(_store, registry, hub, _options, _time, NullLogger.Instance, _observer);
        _observer.Store = _store;
        _ledger = new RunLedger(context, plan, run, steps, _inbox.Post, (_, _) => { });
    }

    /// <summary>Reads the inbox as the run's loop does until <paramref name="done"/> completes.</summary>
    private async Task PumpUntilAsync(Task done)
    {
        _ledger.Drain();
        while (!done.IsCompleted)
        {
            using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            _ledger.Handle(await _inbox.Reader.ReadAsync(giveUp.Token));
            _ledger.Drain();
        }
    }

    /// <summary>Records the step's state in the store at the moment the ledger tells observers of a change.</summary>
    private sealed class StoreReadingObserver : IStepObserver
    {
        public CoordinatorStore Store { get; set; } = null!;

        public List<StepState> StoredWhenTold { get; } = [];

        public void OnStepChanged(StepRecord previous, StepRecord next) =>
            StoredWhenTold.Add(Store.LoadSteps(next.RunId).Single(s => s.StepId == next.StepId).State);
    }
}
