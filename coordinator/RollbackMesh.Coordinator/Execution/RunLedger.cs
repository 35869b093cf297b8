using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Threading.Channels;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// The one owner of a run's state. Only the run's loop calls <see cref="Handle"/> and <see cref="Drain"/>, one message
/// at a time, so nothing here is shared. Every change is written to the store first; its write is queued in order, and
/// only once it has committed is it published (the <see cref="IRunView"/>, watchers, the step observer) and are its
/// waiters completed. The working state may run ahead of the store by the writes queued; decisions taken from it are
/// never acted on outside before their write commits.
/// </summary>
internal sealed class RunLedger : IRunView
{
    private readonly ExecutorContext _context;
    private readonly Plan _plan;
    private readonly FrozenDictionary<string, PlanStep> _planSteps;
    private readonly FrozenDictionary<string, int> _stepIndex;
    private readonly FrozenDictionary<string, TaskCompletionSource<StepRecord>> _terminal;
    private readonly Func<RunMessage, bool> _post;
    private readonly Action<string, ImmutableArray<StepRecord>> _settleAfterReconnect;

    // Working state: what the loop decides from.
    private readonly StepRecord[] _steps;
    private RunRecord _run;
    private readonly List<string> _awaitingApproval = [];
    private readonly Dictionary<string, List<TaskCompletionSource>> _approvals = new(StringComparer.Ordinal);
    private readonly List<TaskCompletionSource> _runnableWaits = [];
    private readonly Dictionary<string, List<(TaskCompletionSource<ImmutableArray<JournalRecord>?> Wait, ITimer Timer)>> _journalWaits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _deadlines = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sendRetrying = new(StringComparer.Ordinal);
    private bool _settlesReconnects;

    // Committed state and what publishing it needs.
    private readonly StepRecord[] _committedSteps;
    private RunRecord _committedRun;
    private readonly Queue<PendingWrite> _pending = new();
    private readonly List<Channel<RunEventRecord>> _watchers = [];

    // Published: immutable values replaced by the loop, read from any thread.
    private RunSnapshot _published;
    private ImmutableDictionary<string, DateTimeOffset> _lastConnected = ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);

    public RunLedger(
        ExecutorContext context, Plan plan, RunRecord run, IReadOnlyList<StepRecord> steps, Func<RunMessage, bool> post,
        Action<string, ImmutableArray<StepRecord>> settleAfterReconnect)
    {
        _context = context;
        _plan = plan;
        _post = post;
        _settleAfterReconnect = settleAfterReconnect;
        RunId = run.RunId;
        _run = _committedRun = run;
        _steps = [.. steps.OrderBy(s => s.Ordinal)];
        _committedSteps = [.. _steps];
        _planSteps = plan.Preflight.Concat(plan.AllSteps).ToFrozenDictionary(s => s.StepId, StringComparer.Ordinal);
        _stepIndex = _steps.Select((s, i) => (s.StepId, i)).ToFrozenDictionary(p => p.StepId, p => p.i, StringComparer.Ordinal);
        _terminal = _steps.ToFrozenDictionary(s => s.StepId, s =>
        {
            var terminal = new TaskCompletionSource<StepRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (s.State.IsTerminal())
            {
                terminal.SetResult(s);
            }

            return terminal;
        }, StringComparer.Ordinal);
        _published = new RunSnapshot(run, [.. _steps]);
    }

    public string RunId { get; }

    /// <summary>The plan's steps (preflight and phases) by id; fixed, so read from any thread.</summary>
    public IReadOnlyDictionary<string, PlanStep> PlanSteps => _planSteps;

    public RunSnapshot Snapshot => Volatile.Read(ref _published);

    public StepRecord Step(string stepId) => Snapshot.Steps[_stepIndex[stepId]];

    public Task<StepRecord> Terminal(string stepId) => _terminal[stepId].Task;

    public DateTimeOffset LastConnected(string node) => Volatile.Read(ref _lastConnected).GetValueOrDefault(node, DateTimeOffset.MinValue);

    /// <summary>Whether a write is still waiting for its commit.</summary>
    public bool HasPendingWrites => _pending.Count > 0;

    public void Handle(RunMessage message)
    {
        switch (message)
        {
            case StepReported m: OnStepReported(m); break;
            case NodeConnected m: OnNodeConnected(m); break;
            case JournalAnswered m: OnJournalAnswered(m); break;
            case PauseRun m: Pause(m); break;
            case ResumeRun m: Resume(m); break;
            case AbortRun m: Abort(m); break;
            case ApproveStep m: Approve(m); break;
            case StepDeadlinePassed m:
                ChangeStep(m.StepId, s => s with { State = StepState.TimedOut, Error = $"no result within {m.Timeout}" }, Coordinator,
                    then: () => m.Reply.TrySetResult(true), failed: ex => m.Reply.TrySetException(ex), refused: () => m.Reply.TrySetResult(false));
                break;
            case JournalWaitEnded m: EndJournalWait(m.Node, m.Wait); break;
            case PassPreflight m:
                ChangeRun(r => r with { PreflightPassed = true }, "preflight passed", Coordinator, "run.preflight_passed", m.Reply);
                break;
            case StartPhase m:
                ChangeRun(r => r with { CurrentPhase = m.Phase }, $"phase {m.Phase}", Coordinator, "run.phase", m.Reply);
                break;
            case FinishRun m: Finish(m); break;
            case AwaitRunnable m:
                if (_run.State == RunState.Paused)
                {
                    _runnableWaits.Add(m.Reply);
                }
                else
                {
                    m.Reply.TrySetResult();
                }

                break;
            case AwaitApproval m: AwaitApprovalOf(m); break;
            case DispatchStep m:
                ChangeStep(m.StepId, s => s with { State = StepState.Dispatched, DispatchCount = s.DispatchCount + 1, Error = "" }, Coordinator,
                    then: () => Dispatched(m.StepId, m.Deadline, m.Reply), failed: ex => m.Reply.TrySetException(ex), refused: () => m.Reply.TrySetResult(false));
                break;
            case RedispatchStep m:
                ChangeStep(m.StepId, s => s.State.IsInFlight() ? s with { DispatchCount = s.DispatchCount + 1 } : null, Coordinator,
                    then: () => Dispatched(m.StepId, m.Deadline, m.Reply), failed: ex => m.Reply.TrySetException(ex), refused: () => m.Reply.TrySetResult(false));
                break;
            case SendRetrying m:
                _ = m.Retrying ? _sendRetrying.Add(m.StepId) : _sendRetrying.Remove(m.StepId);
                break;
            case ResendAfterReconnect m:
                ChangeStep(
                    m.StepId,
                    s => s.State.IsInFlight() && !_sendRetrying.Contains(s.StepId) ? s with { DispatchCount = s.DispatchCount + 1 } : null,
                    Coordinator,
                    then: () => m.Reply.TrySetResult(_deadlines.GetValueOrDefault(m.StepId, _context.Time.GetUtcNow() + _planSteps[m.StepId].Timeout)),
                    failed: ex => m.Reply.TrySetException(ex),
                    refused: () => m.Reply.TrySetResult(null));
                break;
            case FailStep m:
                ChangeStep(m.StepId, s => s with { State = m.State, Error = m.Error }, Coordinator);
                break;
            case SkipSteps m:
                foreach (var (stepId, failedPhase) in m.Steps)
                {
                    ChangeStep(stepId, s => s.State == StepState.Pending ? s with { State = StepState.Skipped, Error = StepRecord.NodeFailedPrefix + failedPhase } : null, Coordinator);
                }

                AfterQueuedWrites(() => m.Reply.TrySetResult());
                break;
            case AwaitJournal m: AddJournalWait(m); break;
            case ReconcileDone:
                _settlesReconnects = true;
                break;
            case AddWatcher m: Watch(m.Watcher); break;
            case WriteLanded:
                break;
            default:
                throw new ArgumentException($"The run's inbox does not take a {message.GetType().Name}.", nameof(message));
        }
    }

    /// <summary>
    /// Publishes every write that has committed, in the order they were queued: the committed state and the view first,
    /// then the waiters. A failed write fails its waiters instead.
    /// </summary>
    public void Drain()
    {
        List<PendingWrite>? landed = null;
        while (_pending.TryPeek(out var head) && head.Write.IsCompleted)
        {
            (landed ??= []).Add(_pending.Dequeue());
        }

        if (landed is null)
        {
            return;
        }

        string? message = null;
        foreach (var write in landed.Where(w => w.Write.IsCompletedSuccessfully))
        {
            write.Commit?.Invoke();
            message = write.Message ?? message;
        }

        // One snapshot per drain, for the view and every watcher: the store commits writes in batches, and copying and
        // sending the whole run once per landed write grew with the run's size squared.
        var snapshot = new RunSnapshot(_committedRun, [.. _committedSteps]);
        Volatile.Write(ref _published, snapshot);
        if (message is not null)
        {
            Publish(message, snapshot);
        }

        foreach (var write in landed)
        {
            if (write.Write.IsCompletedSuccessfully)
            {
                write.Then?.Invoke();
            }
            else
            {
                write.Failed?.Invoke(write.Write.Exception?.InnerException ?? new TaskCanceledException(write.Write));
            }
        }
    }

    /// <summary>Waits for every queued write and publishes it (the loop is stopping: no more landing notices arrive).</summary>
    public async Task FlushAsync()
    {
        foreach (var write in _pending.ToList())
        {
            await write.Write.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        }

        Drain();
    }

    private string Coordinator => _context.Options.CoordinatorIdentity;

    private void OnStepReported(StepReported m)
    {
        if (m.Attempt != _steps[_stepIndex[m.StepId]].Attempt)
        {
            // A late report of an earlier attempt (one that timed out, say): the retry's attempt decides the step now.
            return;
        }

        var update = m.Update;
        if (update.State == StepState.Running)
        {
            ChangeStep(m.StepId, s => s.State == StepState.Dispatched ? s with { State = StepState.Running } : null, m.Node, at: m.At);
        }
        else if (update.State.IsTerminal())
        {
            var outcome = update.Outcome ?? new StepOutcome(update.State, "", "", false, false);
            ChangeStep(
                m.StepId,
                s => s.State.IsInFlight() ? s with { State = update.State, Summary = _plan.Redact(outcome.Summary), Error = _plan.Redact(outcome.Error) } : null,
                m.Node,
                at: m.At);
        }
    }

    private void OnNodeConnected(NodeConnected m)
    {
        Volatile.Write(ref _lastConnected, _lastConnected.SetItem(m.Node, m.At));
        if (!_settlesReconnects || _run.IsFinished)
        {
            return;
        }

        ImmutableArray<StepRecord> sent = [.. _steps.Where(s => s.Node == m.Node && s.State.IsInFlight() && !_sendRetrying.Contains(s.StepId))];
        if (!sent.IsEmpty)
        {
            _settleAfterReconnect(m.Node, sent);
        }
    }

    private void Pause(PauseRun m)
    {
        if (RefuseFinished(m.Reply))
        {
            return;
        }

        ChangeRun(
            r => r.State is RunState.Running or RunState.AwaitingApproval or RunState.Pending
                ? r with { State = RunState.Paused, Message = $"paused by {m.Who}: {m.Reason}" }
                : throw new RunStateException($"Run {r.RunId} is {r.State}; only a running run can be paused."),
            $"paused: {m.Reason}", m.Who, "run.pause", m.Reply);
    }

    private void Resume(ResumeRun m)
    {
        if (RefuseFinished(m.Reply))
        {
            return;
        }

        ChangeRun(
            r => r.State == RunState.Paused
                ? r with { State = _awaitingApproval.Count == 0 ? RunState.Running : RunState.AwaitingApproval, Message = $"resumed by {m.Who}: {m.Reason}" }
                : throw new RunStateException($"Run {r.RunId} is {r.State}; only a paused run can be resumed."),
            $"resumed: {m.Reason}", m.Who, "run.resume", m.Reply,
            then: () =>
            {
                foreach (var wait in _runnableWaits)
                {
                    wait.TrySetResult();
                }

                _runnableWaits.Clear();
            });
    }

    private void Abort(AbortRun m) => ChangeRun(
        r => r with
        {
            State = RunState.Aborted,
            FinishedAt = _context.Time.GetUtcNow(),
            AwaitingApproval = "",
            Message = $"aborted by {m.Who}: {m.Reason}\n{RunSummary.Describe([.. _steps])}",
        },
        $"aborted: {m.Reason}", m.Who, "run.abort", m.Reply);

    /// <summary>A step needing approval may also be approved before the run reaches it.</summary>
    private void Approve(ApproveStep m)
    {
        var stepId = m.StepId.Length > 0 ? m.StepId : _awaitingApproval.FirstOrDefault();
        if (stepId is null)
        {
            m.Reply.TrySetException(new RunStateException($"Run {RunId} is not waiting for an approval."));
            return;
        }

        if (!_planSteps.TryGetValue(stepId, out var step) || !step.RequiresApproval)
        {
            m.Reply.TrySetException(new RunStateException($"Run {RunId} has no step '{stepId}' that needs approval."));
            return;
        }

        if (RefuseFinished(m.Reply))
        {
            return;
        }

        if (!ChangeStep(stepId, s => s.State == StepState.Pending && !s.Approved ? s with { Approved = true } : null, m.Who))
        {
            m.Reply.TrySetException(new RunStateException($"Step '{stepId}' of run {RunId} is already approved or past."));
            return;
        }

        _awaitingApproval.Remove(stepId);
        _approvals.Remove(stepId, out var waits);
        var next = _awaitingApproval.FirstOrDefault();
        ChangeRun(
            r => r with
            {
                State = r.State == RunState.AwaitingApproval && next is null ? RunState.Running : r.State,
                AwaitingApproval = next ?? "",
            },
            $"approved {stepId}", m.Who, "run.approve", m.Reply,
            then: () => waits?.ForEach(w => w.TrySetResult()));
    }

    private void AwaitApprovalOf(AwaitApproval m)
    {
        var step = m.Step;
        if (_steps[_stepIndex[step.StepId]].Approved)
        {
            m.Reply.TrySetResult();
            return;
        }

        if (!_approvals.TryGetValue(step.StepId, out var waits))
        {
            _approvals[step.StepId] = waits = [];
            _awaitingApproval.Add(step.StepId);
        }

        waits.Add(m.Reply);
        // The header is computed from the live list, so an approval that lands first wins.
        ChangeRun(
            r => _awaitingApproval.Count > 0
                ? r with { State = r.State == RunState.Paused ? RunState.Paused : RunState.AwaitingApproval, AwaitingApproval = _awaitingApproval[0] }
                : r,
            $"{step.StepId} ({step.Name}) on {step.Node} needs approval", Coordinator, "run.awaiting_approval", reply: null);
    }

    private void Finish(FinishRun m)
    {
        var account = m.State == RunState.Succeeded ? m.Message : $"{m.Message}\n{RunSummary.Describe([.. _steps])}";
        ChangeRun(
            r => r with { State = m.State, FinishedAt = _context.Time.GetUtcNow(), Message = account, AwaitingApproval = "" },
            m.Message, Coordinator, "run." + SnakeCase(m.State.ToString()), m.Reply);
    }

    // The audit's event name for a run state: Succeeded → succeeded, SucceededWithFailures → succeeded_with_failures.
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private void Dispatched(string stepId, DateTimeOffset deadline, TaskCompletionSource<bool> reply)
    {
        _deadlines[stepId] = deadline;
        reply.TrySetResult(true);
    }

    private bool RefuseFinished<T>(TaskCompletionSource<T> reply)
    {
        if (!_run.IsFinished)
        {
            return false;
        }

        reply.TrySetException(new RunStateException($"Run {RunId} already ended {_run.State}."));
        return true;
    }

    private void AddJournalWait(AwaitJournal m)
    {
        // Started with the query: an answer that does not come within JournalTimeout leaves the wait with null.
        var timer = _context.Time.CreateTimer(
            _ => _post(new JournalWaitEnded(m.Node, m.Wait)), null, _context.Options.JournalTimeout, Timeout.InfiniteTimeSpan);
        if (!_journalWaits.TryGetValue(m.Node, out var waits))
        {
            _journalWaits[m.Node] = waits = [];
        }

        waits.Add((m.Wait, timer));
    }

    private void EndJournalWait(string node, TaskCompletionSource<ImmutableArray<JournalRecord>?> wait)
    {
        if (_journalWaits.TryGetValue(node, out var waits) && waits.FindIndex(w => w.Wait == wait) is var index and >= 0)
        {
            waits[index].Timer.Dispose();
            waits.RemoveAt(index);
            if (waits.Count == 0)
            {
                _journalWaits.Remove(node);
            }
        }

        wait.TrySetResult(null);
    }

    /// <summary>Several waits on one node share its next answer.</summary>
    private void OnJournalAnswered(JournalAnswered m)
    {
        if (!_journalWaits.Remove(m.Node, out var waits))
        {
            return;
        }

        ImmutableArray<JournalRecord> mine = [.. m.Entries.Where(e => e.RunId == RunId)];
        foreach (var (wait, timer) in waits)
        {
            timer.Dispose();
            wait.TrySetResult(mine);
        }
    }

    private void Watch(Channel<RunEventRecord> watcher)
    {
        watcher.Writer.TryWrite(new RunEventRecord(_context.Time.GetUtcNow(), _committedRun.Message, new RunSnapshot(_committedRun, [.. _committedSteps])));
        if (_committedRun.IsFinished)
        {
            watcher.Writer.TryComplete();
        }
        else
        {
            _watchers.Add(watcher);
        }
    }

    /// <summary>
    /// Changes the run header: <paramref name="change"/> sees the working header (and may throw
    /// <see cref="RunStateException"/>, which goes to the reply). Finished runs never change again; an unchanged header
    /// is replied once the writes queued before it have committed.
    /// </summary>
    private void ChangeRun(
        Func<RunRecord, RunRecord> change, string message, string who, string what, TaskCompletionSource<RunRecord>? reply, Action? then = null)
    {
        RunRecord next;
        try
        {
            next = _run.IsFinished ? _run : change(_run);
        }
        catch (RunStateException ex)
        {
            reply?.TrySetException(ex);
            return;
        }

        if (next == _run)
        {
            AfterQueuedWrites(() =>
            {
                then?.Invoke();
                reply?.TrySetResult(_committedRun);
            });
            return;
        }

        _run = next;
        var audit = new AuditEntry(_context.Time.GetUtcNow(), who, what, next.RunId, message);
        Queue(new PendingWrite(
            _context.Store.SaveRunAsync(next, audit),
            Commit: () => _committedRun = next,
            Then: () =>
            {
                then?.Invoke();
                reply?.TrySetResult(next);
            },
            Failed: ex => reply?.TrySetException(ex))
        {
            Message = message,
        });
    }

    /// <summary>
    /// Changes a step that has not ended. <paramref name="change"/> returns null to refuse (then
    /// <paramref name="refused"/> runs at once). Returns whether the change was queued; once committed, a terminal
    /// step's <see cref="Terminal"/> completes after <paramref name="then"/>. The change is dated <paramref name="at"/>
    /// (default: now).
    /// </summary>
    private bool ChangeStep(
        string stepId, Func<StepRecord, StepRecord?> change, string who, Action? then = null, Action<Exception>? failed = null, Action? refused = null,
        DateTimeOffset? at = null)
    {
        var index = _stepIndex[stepId];
        var current = _steps[index];
        if (current.State.IsTerminal() || change(current) is not { } changed)
        {
            refused?.Invoke();
            return false;
        }

        var next = changed with { UpdatedAt = at ?? _context.Time.GetUtcNow() };
        _steps[index] = next;
        var detail = $"{next.StepId} ({next.Name}) on {next.Node}{(next.Attempt > 1 ? $", attempt {next.Attempt}" : "")}: {next.State}" +
            (next.Error.Length > 0 ? $": {next.Error}" : next.Summary.Length > 0 ? $": {next.Summary}" : "");
        var audit = new AuditEntry(next.UpdatedAt, who, $"step.{next.State.ToString().ToLowerInvariant()}", next.RunId, detail);
        var terminal = next.State.IsTerminal() ? _terminal[stepId] : null;
        Queue(new PendingWrite(
            _context.Store.SaveStepAsync(next, audit),
            Commit: () =>
            {
                _committedSteps[index] = next;
                _context.StepObserver?.OnStepChanged(current, next);
            },
            Then: () =>
            {
                then?.Invoke();
                terminal?.TrySetResult(next);
            },
            Failed: ex =>
            {
                failed?.Invoke(ex);
                terminal?.TrySetException(ex);
            })
        {
            Message = $"{next.StepId} {next.State}",
        });
        return true;
    }

    /// <summary>Runs <paramref name="then"/> once every write queued so far has committed (or failed).</summary>
    private void AfterQueuedWrites(Action then) => Queue(new PendingWrite(Task.CompletedTask, null, then, _ => then()));

    private void Queue(PendingWrite write)
    {
        _pending.Enqueue(write);
        if (!write.Write.IsCompleted)
        {
            write.Write.ContinueWith(_ => _post(WriteLanded.Instance), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Sends the watchers the committed state after a drain, named by the last change in it.</summary>
    private void Publish(string message, RunSnapshot snapshot)
    {
        if (_watchers.Count == 0)
        {
            return;
        }

        var change = new RunEventRecord(_context.Time.GetUtcNow(), message, snapshot);
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(change);
            if (_committedRun.IsFinished)
            {
                watcher.Writer.TryComplete();
            }
        }

        if (_committedRun.IsFinished)
        {
            _watchers.Clear();
        }
    }

    /// <summary>
    /// A queued store write and what follows its commit: <see cref="Commit"/> before publishing, <see cref="Then"/> after;
    /// <see cref="Message"/> names the change to watchers (null: nothing changed for them).
    /// </summary>
    private sealed record PendingWrite(Task Write, Action? Commit, Action? Then, Action<Exception>? Failed)
    {
        public string? Message { get; init; }
    }
}
