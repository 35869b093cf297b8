using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    private readonly List<string> _awaitingApproval = [];
    private readonly Dictionary<string, TaskCompletionSource> _approvals = new(StringComparer.Ordinal);
    private TaskCompletionSource _resumeSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stops dispatching new steps (steps in flight finish). Recorded before it takes effect.</summary>
    public Task<RunRecord> PauseAsync(string who, string reason) => EnsureNotFinished().UpdateRunAsync(
        r => r.State is RunState.Running or RunState.AwaitingApproval or RunState.Pending
            ? r with { State = RunState.Paused, Message = $"paused by {who}: {reason}" }
            : throw new RunStateException($"Run {r.RunId} is {r.State}; only a running run can be paused."),
        $"paused: {reason}", who, "run.pause");

    public async Task<RunRecord> ResumeAsync(string who, string reason)
    {
        var run = await EnsureNotFinished().UpdateRunAsync(
            r => r.State == RunState.Paused
                ? r with { State = AwaitingNext() is null ? RunState.Running : RunState.AwaitingApproval, Message = $"resumed by {who}: {reason}" }
                : throw new RunStateException($"Run {r.RunId} is {r.State}; only a paused run can be resumed."),
            $"resumed: {reason}", who, "run.resume").ConfigureAwait(false);
        lock (_lock)
        {
            _resumeSignal.TrySetResult();
            _resumeSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return run;
    }

    /// <summary>
    /// Ends the run as ABORTED (recorded first), stops dispatching, and sends CancelStep for every step in flight.
    /// Their outcomes are still recorded as the agents report them.
    /// </summary>
    public async Task<RunRecord> AbortAsync(string who, string reason)
    {
        var run = await UpdateRunAsync(
            r => r with
            {
                State = RunState.Aborted,
                FinishedAt = _context.Time.GetUtcNow(),
                AwaitingApproval = "",
                Message = $"aborted by {who}: {reason}\n{RunSummary.Describe(StepsSnapshot())}",
            },
            $"aborted: {reason}", who, "run.abort").ConfigureAwait(false);
        if (run.State != RunState.Aborted)
        {
            throw new RunStateException($"Run {run.RunId} already ended {run.State}.");
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var step in StepsSnapshot().Where(s => s.State.IsInFlight()))
        {
            await TrySendAsync(step.Node, AgentWireMapper.Cancel(step.RunId, step.WireId)).ConfigureAwait(false);
        }

        return run;
    }

    /// <summary>
    /// Approves the step <paramref name="stepId"/> (empty: the one the run is waiting on). A step needing approval
    /// may also be approved before the run reaches it.
    /// </summary>
    public async Task<RunRecord> ApproveAsync(string stepId, string who)
    {
        if (stepId.Length == 0)
        {
            stepId = AwaitingNext() ?? throw new RunStateException($"Run {RunId} is not waiting for an approval.");
        }

        if (!_planSteps.TryGetValue(stepId, out var step) || !step.RequiresApproval)
        {
            throw new RunStateException($"Run {RunId} has no step '{stepId}' that needs approval.");
        }

        if (CurrentRun.IsFinished)
        {
            throw new RunStateException($"Run {RunId} already ended {CurrentRun.State}.");
        }

        var write = TryTransition(stepId, s => s.State == StepState.Pending && !s.Approved ? s with { Approved = true } : null, who);
        if (write is null)
        {
            throw new RunStateException($"Step '{stepId}' of run {RunId} is already approved or past.");
        }

        await write.ConfigureAwait(false);
        TaskCompletionSource? signal;
        lock (_lock)
        {
            _awaitingApproval.Remove(stepId);
            _approvals.Remove(stepId, out signal);
        }

        var next = AwaitingNext();
        var run = await UpdateRunAsync(
            r => r with
            {
                State = r.State == RunState.AwaitingApproval && next is null ? RunState.Running : r.State,
                AwaitingApproval = next ?? "",
            },
            $"approved {stepId}", who, "run.approve").ConfigureAwait(false);
        signal?.TrySetResult();
        return run;
    }

    private RunDriver EnsureNotFinished() => CurrentRun.IsFinished
        ? throw new RunStateException($"Run {RunId} already ended {CurrentRun.State}.")
        : this;

    private string? AwaitingNext()
    {
        lock (_lock)
        {
            return _awaitingApproval.Count > 0 ? _awaitingApproval[0] : null;
        }
    }

    private async Task WaitUntilRunnableAsync(CancellationToken ct)
    {
        while (true)
        {
            Task resumed;
            lock (_lock)
            {
                if (_run.State != RunState.Paused)
                {
                    return;
                }

                resumed = _resumeSignal.Task;
            }

            await resumed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task WaitForApprovalAsync(PlanStep step, CancellationToken ct)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (_steps[_stepIndex[step.StepId]].Approved)
            {
                return;
            }

            if (!_approvals.TryGetValue(step.StepId, out signal!))
            {
                signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _approvals[step.StepId] = signal;
                _awaitingApproval.Add(step.StepId);
            }
        }

        // The header is computed under the run-write lock from the live list, so an approval that lands first wins.
        await UpdateRunAsync(
            r => AwaitingNext() is { } waitingOn
                ? r with { State = r.State == RunState.Paused ? RunState.Paused : RunState.AwaitingApproval, AwaitingApproval = waitingOn }
                : r,
            $"{step.StepId} ({step.Name}) on {step.Node} needs approval", _context.Options.CoordinatorIdentity, "run.awaiting_approval")
            .ConfigureAwait(false);
        await signal.Task.WaitAsync(ct).ConfigureAwait(false);
    }
}
