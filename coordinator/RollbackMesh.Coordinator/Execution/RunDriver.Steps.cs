using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    /// <summary>
    /// Runs one step to a terminal state and says whether it succeeded. A step already successful is never sent
    /// again; a step recorded in flight (a resumed run whose journal did not settle it) is resent with the same id,
    /// which the agent's journal answers without running it twice.
    /// </summary>
    private async Task<bool> ExecuteStepAsync(PlanStep step, CancellationToken ct)
    {
        var current = GetStep(step.StepId);
        if (current.State.IsTerminal())
        {
            return current.State.IsSuccess();
        }

        if (current.State == StepState.Pending)
        {
            await WaitUntilRunnableAsync(ct).ConfigureAwait(false);
            if (step.RequiresApproval && !GetStep(step.StepId).Approved)
            {
                await WaitForApprovalAsync(step, ct).ConfigureAwait(false);
                await WaitUntilRunnableAsync(ct).ConfigureAwait(false);
            }
        }

        var terminal = _terminal[step.StepId].Task;
        if (!await WaitForNodeAsync(step.Node, ct).ConfigureAwait(false))
        {
            var reason = _context.Link.IsRemoved(step.Node)
                ? $"node {step.Node} was removed (its certificates are revoked); the step was not sent"
                : current.State == StepState.Pending
                ? $"node {step.Node} is not connected; the step was not sent"
                : $"node {step.Node} did not reconnect; the step's outcome is unknown";
            return await FailAsync(step, StepState.Failed, reason).ConfigureAwait(false);
        }

        var deadline = _context.Time.GetUtcNow() + step.Timeout;
        var dispatched = TryTransition(
            step.StepId,
            s => s with { State = StepState.Dispatched, DispatchCount = s.DispatchCount + 1, Error = "" },
            _context.Options.CoordinatorIdentity);
        if (dispatched is null)
        {
            return (await terminal.ConfigureAwait(false)).State.IsSuccess();
        }

        await dispatched.ConfigureAwait(false);
        lock (_lock)
        {
            _deadlines[step.StepId] = deadline;
        }

        if (!await SendUntilDeliveredAsync(step, deadline, ct).ConfigureAwait(false))
        {
            return await FailAsync(
                step, StepState.Failed, $"node {step.Node} was disconnected and did not reconnect within {_context.Options.ReconnectTimeout}; the step was not sent")
                .ConfigureAwait(false);
        }

        switch (await WaitForOutcomeAsync(step, terminal, ct).ConfigureAwait(false))
        {
            case OutcomeWait.Settled:
                return (await terminal.ConfigureAwait(false)).State.IsSuccess();
            case OutcomeWait.NodeRemoved:
                return await FailAsync(
                    step, StepState.Failed,
                    $"node {step.Node} was removed while step {step.StepId} was running; its outcome on the node is unknown")
                    .ConfigureAwait(false);
            case OutcomeWait.NodeLost:
                return await FailAsync(
                    step, StepState.Failed,
                    $"node {step.Node} disconnected while the step was in flight and did not reconnect within {_context.Options.ReconnectTimeout}; the step's outcome is unknown")
                    .ConfigureAwait(false);
            default:
                var ok = await FailAsync(step, StepState.TimedOut, $"no result within {step.Timeout}").ConfigureAwait(false);
                if (GetStep(step.StepId).State == StepState.TimedOut)
                {
                    await TrySendAsync(step.Node, AgentWireMapper.Cancel(_run.RunId, GetStep(step.StepId).WireId)).ConfigureAwait(false);
                }

                return ok;
        }
    }

    /// <summary>Records a coordinator-side failure unless the step already ended; returns whether the step succeeded.</summary>
    private async Task<bool> FailAsync(PlanStep step, StepState state, string error)
    {
        _ = TryTransition(step.StepId, s => s with { State = state, Error = error }, _context.Options.CoordinatorIdentity);
        return (await _terminal[step.StepId].Task.ConfigureAwait(false)).State.IsSuccess();
    }

    private Task<bool> WaitForNodeAsync(string node, CancellationToken ct) =>
        WaitForNodeAsync(node, _context.Time.GetUtcNow() + _context.Options.ReconnectTimeout, ct);

    private async Task<bool> WaitForNodeAsync(string node, DateTimeOffset giveUp, CancellationToken ct)
    {
        while (!_context.Link.IsConnected(node))
        {
            if (_context.Time.GetUtcNow() >= giveUp || _context.Link.IsRemoved(node))
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _context.Time, ct).ConfigureAwait(false);
        }

        return true;
    }

    private async Task TrySendAsync(string node, V1.CoordinatorMessage message)
    {
        try
        {
            await _context.Link.SendAsync(node, message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AgentUnavailableException)
        {
            // Best effort: the agent enforces the step's deadline itself.
        }
    }

    /// <summary>
    /// An agent reported on a step of this run (by the id of one of its attempts). Only the node the step belongs to
    /// may report on it, and only the current attempt decides it.
    /// </summary>
    public void OnStepUpdate(string node, AgentStepUpdate update)
    {
        if (!StepAttempts.TryParse(update.StepId, _planSteps.ContainsKey, out var stepId, out var attempt) || _planSteps[stepId].Node != node)
        {
            _ = ForeignStepUpdates.RefuseAsync(_context, node, update);
            return;
        }

        if (attempt != GetStep(stepId).Attempt)
        {
            // A late report of an earlier attempt (one that timed out, say): the retry's attempt decides the step now.
            return;
        }

        var step = _planSteps[stepId];

        if (update.State == StepState.Running)
        {
            _ = TryTransition(step.StepId, s => s.State == StepState.Dispatched ? s with { State = StepState.Running } : null, node);
        }
        else if (update.State.IsTerminal())
        {
            var outcome = update.Outcome ?? new StepOutcome(update.State, "", "", false, false);
            _ = TryTransition(
                step.StepId,
                s => s.State.IsInFlight() ? s with { State = update.State, Summary = _plan.Redact(outcome.Summary), Error = _plan.Redact(outcome.Error) } : null,
                node);
        }
    }
}
