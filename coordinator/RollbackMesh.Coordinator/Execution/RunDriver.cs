using System.Collections.Immutable;
using System.Threading.Channels;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// One run as an actor. Step updates, reconnects, journal answers, operator commands, timer expiry and the flow's own
/// requests are messages on the run's one <see cref="RunInbox"/>; a single loop hands them to the
/// <see cref="RunLedger"/>, the only code that changes the run (commit to the store, then publish, then complete
/// waiters). The <see cref="RunFlow"/> drives the plan beside it. All progress is in the store, so a new driver built
/// from the store after a crash continues where this one stopped.
/// </summary>
internal sealed class RunDriver : IAsyncDisposable
{
    private readonly ExecutorContext _context;
    private readonly RunInbox _inbox = new();
    private readonly RunLedger _ledger;
    private readonly RunFlow _flowRunner;
    private readonly JournalReconciler _journals;
    private readonly CancellationTokenSource _stop;
    private Task _loop = Task.CompletedTask;
    private Task _flow = Task.CompletedTask;

    public RunDriver(ExecutorContext context, Plan plan, RunRecord run, IReadOnlyList<StepRecord> steps, bool resumed, CancellationToken shutdown)
    {
        _context = context;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        _ledger = new RunLedger(context, plan, run, steps, _inbox.Post, SettleAfterReconnect);
        _journals = new JournalReconciler(context, run.RunId, _inbox, _ledger, _ledger.PlanSteps, OnStepUpdate);
        var stepExecution = new StepExecution(context, run.RunId, _inbox, _ledger);
        _flowRunner = new RunFlow(context, plan, _inbox, _ledger, stepExecution, _journals, resumed);
        RunId = run.RunId;
    }

    public string RunId { get; }

    /// <summary>Completes when the driver stops: the run finished, was aborted, or the executor shut down.</summary>
    public Task Completion => _flow;

    public void Start()
    {
        _loop = Task.Run(LoopAsync);
        _flow = Task.Run(() => _flowRunner.RunAsync(_stop.Token));
    }

    /// <summary>The run as committed now.</summary>
    public RunSnapshot Snapshot() => _ledger.Snapshot;

    /// <summary>The run's changes from now until it finishes, starting with its current state.</summary>
    public ChannelReader<RunEventRecord> Watch()
    {
        var channel = Channel.CreateBounded<RunEventRecord>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        if (!_inbox.Post(new AddWatcher(channel)))
        {
            var snapshot = _ledger.Snapshot;
            channel.Writer.TryWrite(new RunEventRecord(_context.Time.GetUtcNow(), snapshot.Run.Message, snapshot));
            channel.Writer.TryComplete();
        }

        return channel.Reader;
    }

    /// <summary>Stops dispatching new steps (steps in flight finish). Recorded before it takes effect.</summary>
    public Task<RunRecord> PauseAsync(string who, string reason) => _inbox.Ask<RunRecord>(r => new PauseRun(who, reason, r));

    public Task<RunRecord> ResumeAsync(string who, string reason) => _inbox.Ask<RunRecord>(r => new ResumeRun(who, reason, r));

    /// <summary>
    /// Ends the run as ABORTED (recorded first), stops dispatching, and sends CancelStep for every step in flight.
    /// Their outcomes are still recorded as the agents report them.
    /// </summary>
    public async Task<RunRecord> AbortAsync(string who, string reason)
    {
        var run = await _inbox.Ask<RunRecord>(r => new AbortRun(who, reason, r)).ConfigureAwait(false);
        if (run.State != RunState.Aborted)
        {
            throw new RunStateException($"Run {run.RunId} already ended {run.State}.");
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var step in _ledger.Snapshot.Steps.Where(s => s.State.IsInFlight()))
        {
            await AgentReach.TrySendAsync(_context, step.Node, AgentWireMapper.Cancel(step.RunId, step.WireId)).ConfigureAwait(false);
        }

        return run;
    }

    /// <summary>
    /// Approves the step <paramref name="stepId"/> (empty: the one the run is waiting on). A step needing approval
    /// may also be approved before the run reaches it.
    /// </summary>
    public Task<RunRecord> ApproveAsync(string stepId, string who) => _inbox.Ask<RunRecord>(r => new ApproveStep(stepId, who, r));

    /// <summary>
    /// An agent reported on a step of this run (by the id of one of its attempts). Only the node the step belongs to
    /// may report on it, and only the current attempt decides it (the ledger checks the attempt).
    /// </summary>
    public void OnStepUpdate(string node, AgentStepUpdate update)
    {
        if (!StepAttempts.TryParse(update.StepId, _ledger.PlanSteps.ContainsKey, out var stepId, out var attempt) || _ledger.PlanSteps[stepId].Node != node)
        {
            _ = ForeignStepUpdates.RefuseAsync(_context, node, update);
            return;
        }

        _inbox.Post(new StepReported(node, stepId, attempt, update, _context.Time.GetUtcNow()));
    }

    /// <summary>A node (re)connected: the ledger settles this run's steps on it that were sent but have no outcome yet.</summary>
    public void OnNodeConnected(string node) => _inbox.Post(new NodeConnected(node, _context.Time.GetUtcNow()));

    /// <summary>A node answered a JournalQuery; delivered to this run's waits on that node.</summary>
    public void OnJournal(string node, ImmutableArray<JournalRecord> entries) => _inbox.Post(new JournalAnswered(node, entries));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _flow.ConfigureAwait(false);
        _inbox.Close();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private void SettleAfterReconnect(string node, ImmutableArray<StepRecord> sent)
    {
        var ct = _stop.Token;
        _ = Task.Run(() => _journals.SettleAfterReconnectAsync(node, sent, ct), CancellationToken.None);
    }

    /// <summary>
    /// The run's one reader: each message in turn, then whatever writes have committed. Once the inbox is closed, the
    /// writes still queued are waited for and published.
    /// </summary>
    private async Task LoopAsync()
    {
        await foreach (var message in _inbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                _ledger.Handle(message);
                _ledger.Drain();
            }
            catch (Exception ex)
            {
                RunLog.LedgerFailed(_context.Logger, ex, RunId, message.GetType().Name);
            }
        }

        await _ledger.FlushAsync().ConfigureAwait(false);
    }
}
