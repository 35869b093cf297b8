using System.Collections.Immutable;
using System.Threading.Channels;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Drives one run of a plan. All progress is in the store: every transition of the run or of a step is written and
/// committed before the coordinator acts on it (dispatching, cancelling, moving to the next step), so a new driver
/// built from the store after a crash continues where this one stopped. The in-memory view may run ahead of the
/// store by one uncommitted write; nothing is acted on from such a state.
/// </summary>
internal sealed partial class RunDriver : IAsyncDisposable
{
    private readonly ExecutorContext _context;
    private readonly Plan _plan;
    private readonly bool _resumed;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PlanStep> _planSteps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _stepIndex = new(StringComparer.Ordinal);
    private readonly StepRecord[] _steps;
    private readonly Dictionary<string, TaskCompletionSource<StepRecord>> _terminal = new(StringComparer.Ordinal);
    private readonly List<Channel<RunEventRecord>> _watchers = [];
    private readonly SemaphoreSlim _runWrite = new(1, 1);
    private readonly CancellationTokenSource _stop;
    private RunRecord _run;
    private Task _flow = Task.CompletedTask;

    public RunDriver(ExecutorContext context, Plan plan, RunRecord run, IReadOnlyList<StepRecord> steps, bool resumed, CancellationToken shutdown)
    {
        _context = context;
        _plan = plan;
        _run = run;
        _resumed = resumed;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        _steps = [.. steps.OrderBy(s => s.Ordinal)];
        foreach (var step in plan.Preflight.Concat(plan.AllSteps))
        {
            _planSteps[step.StepId] = step;
        }

        for (var i = 0; i < _steps.Length; i++)
        {
            _stepIndex[_steps[i].StepId] = i;
            var terminal = new TaskCompletionSource<StepRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_steps[i].State.IsTerminal())
            {
                terminal.SetResult(_steps[i]);
            }

            _terminal[_steps[i].StepId] = terminal;
        }
    }

    public string RunId => _run.RunId;

    /// <summary>Completes when the driver stops: the run finished, was aborted, or the executor shut down.</summary>
    public Task Completion => _flow;

    public void Start() => _flow = Task.Run(RunAsync);

    public RunSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new RunSnapshot(_run, [.. _steps]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _flow.ConfigureAwait(false);
        _stop.Dispose();
    }

    private RunRecord CurrentRun
    {
        get
        {
            lock (_lock)
            {
                return _run;
            }
        }
    }

    private StepRecord GetStep(string stepId)
    {
        lock (_lock)
        {
            return _steps[_stepIndex[stepId]];
        }
    }

    /// <summary>
    /// Changes the run header: <paramref name="change"/> sees the current header (and may throw
    /// <see cref="RunStateException"/>); the result is committed, then becomes current and is published.
    /// Finished runs never change again.
    /// </summary>
    private async Task<RunRecord> UpdateRunAsync(Func<RunRecord, RunRecord> change, string message, string who, string what)
    {
        await _runWrite.WaitAsync().ConfigureAwait(false);
        try
        {
            var current = CurrentRun;
            var next = current.IsFinished ? current : change(current);
            if (next == current)
            {
                return current;
            }

            var audit = new AuditEntry(_context.Time.GetUtcNow(), who, what, _run.RunId, message);
            await _context.Store.SaveRunAsync(next, audit).ConfigureAwait(false);
            lock (_lock)
            {
                _run = next;
            }

            Publish(message);
            return next;
        }
        finally
        {
            _runWrite.Release();
        }
    }

    /// <summary>
    /// Changes a step that is not terminal yet. <paramref name="change"/> returns null to refuse. The write is queued
    /// under the lock, so the store sees transitions in the same order as memory. Returns the commit (null when
    /// refused); a terminal transition also completes the step's terminal task once committed.
    /// </summary>
    private Task? TryTransition(string stepId, Func<StepRecord, StepRecord?> change, string who)
    {
        StepRecord current;
        StepRecord next;
        Task write;
        lock (_lock)
        {
            var index = _stepIndex[stepId];
            current = _steps[index];
            if (current.State.IsTerminal() || change(current) is not { } changed)
            {
                return null;
            }

            next = changed with { UpdatedAt = _context.Time.GetUtcNow() };
            _steps[index] = next;
            var detail = $"{next.StepId} ({next.Name}) on {next.Node}{(next.Attempt > 1 ? $", attempt {next.Attempt}" : "")}: {next.State}" +
                (next.Error.Length > 0 ? $": {next.Error}" : next.Summary.Length > 0 ? $": {next.Summary}" : "");
            var audit = new AuditEntry(next.UpdatedAt, who, $"step.{next.State.ToString().ToLowerInvariant()}", next.RunId, detail);
            write = _context.Store.SaveStepAsync(next, audit);
        }

        _context.StepObserver?.OnStepChanged(current, next);
        Publish($"{next.StepId} {next.State}");
        if (next.State.IsTerminal())
        {
            _ = CompleteAfterAsync(write, _terminal[stepId], next);
        }

        return write;
    }

    private static async Task CompleteAfterAsync(Task write, TaskCompletionSource<StepRecord> terminal, StepRecord record)
    {
        try
        {
            await write.ConfigureAwait(false);
            terminal.TrySetResult(record);
        }
        catch (Exception ex)
        {
            terminal.TrySetException(ex);
        }
    }

    private void Publish(string message)
    {
        lock (_lock)
        {
            if (_watchers.Count == 0)
            {
                return;
            }

            var snapshot = new RunSnapshot(_run, [.. _steps]);
            var change = new RunEventRecord(_context.Time.GetUtcNow(), message, snapshot);
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(change);
                if (_run.IsFinished)
                {
                    watcher.Writer.TryComplete();
                }
            }

            if (_run.IsFinished)
            {
                _watchers.Clear();
            }
        }
    }

    /// <summary>The run's changes from now until it finishes, starting with its current state.</summary>
    public ChannelReader<RunEventRecord> Watch()
    {
        var channel = Channel.CreateBounded<RunEventRecord>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            channel.Writer.TryWrite(new RunEventRecord(_context.Time.GetUtcNow(), _run.Message, new RunSnapshot(_run, [.. _steps])));
            if (_run.IsFinished)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _watchers.Add(channel);
            }
        }

        return channel.Reader;
    }

    private ImmutableArray<StepRecord> StepsSnapshot()
    {
        lock (_lock)
        {
            return [.. _steps];
        }
    }
}
