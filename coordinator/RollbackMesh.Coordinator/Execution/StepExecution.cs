using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Runs one step of a run to a terminal state: waits until the run may dispatch (and for the step's approval), records
/// the dispatch, sends the command until delivered, and waits for the outcome. Every change goes through the run's
/// inbox; what it reads is the committed <see cref="IRunView"/>.
/// </summary>
internal sealed class StepExecution(ExecutorContext context, string runId, RunInbox inbox, IRunView view)
{
    private static readonly TimeSpan FirstResendPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxResendPause = TimeSpan.FromSeconds(5);

    // How often a step in flight checks that its node is still connected; the outcome itself ends the wait at once.
    private static readonly TimeSpan ConnectionCheckInterval = TimeSpan.FromMilliseconds(250);

    // System.Threading.Timer's longest due time (about 49 days); a step timeout beyond it is held to it.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private enum OutcomeWait
    {
        Settled,
        TimedOut,
        NodeLost,
        NodeRemoved,
    }

    /// <summary>
    /// Runs the step and says whether it succeeded. A step already successful is never sent again; a step recorded in
    /// flight (a resumed run whose journal did not settle it) is resent with the same id, which the agent's journal
    /// answers without running it twice.
    /// </summary>
    public async Task<bool> ExecuteAsync(PlanStep step, CancellationToken ct)
    {
        var current = view.Step(step.StepId);
        if (current.State.IsTerminal())
        {
            return current.State.IsSuccess();
        }

        if (current.State == StepState.Pending)
        {
            await inbox.Ask(r => new AwaitRunnable(r)).WaitAsync(ct).ConfigureAwait(false);
            if (step.RequiresApproval && !view.Step(step.StepId).Approved)
            {
                await inbox.Ask(r => new AwaitApproval(step, r)).WaitAsync(ct).ConfigureAwait(false);
                await inbox.Ask(r => new AwaitRunnable(r)).WaitAsync(ct).ConfigureAwait(false);
            }
        }

        var terminal = view.Terminal(step.StepId);
        if (!await AgentReach.WaitForNodeAsync(context, step.Node, ct).ConfigureAwait(false))
        {
            var reason = context.Link.IsRemoved(step.Node)
                ? $"node {step.Node} was removed (its certificates are revoked); the step was not sent"
                : current.State == StepState.Pending
                ? $"node {step.Node} is not connected; the step was not sent"
                : $"node {step.Node} did not reconnect; the step's outcome is unknown";
            return await FailAsync(step, StepState.Failed, reason).ConfigureAwait(false);
        }

        var deadline = context.Time.GetUtcNow() + step.Timeout;
        if (!await inbox.Ask<bool>(r => new DispatchStep(step.StepId, deadline, r)).ConfigureAwait(false))
        {
            return (await terminal.ConfigureAwait(false)).State.IsSuccess();
        }

        if (!await SendUntilDeliveredAsync(step, deadline, ct).ConfigureAwait(false))
        {
            return await FailAsync(
                step, StepState.Failed, $"node {step.Node} was disconnected and did not reconnect within {context.Options.ReconnectTimeout}; the step was not sent")
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
                    $"node {step.Node} disconnected while the step was in flight and did not reconnect within {context.Options.ReconnectTimeout}; the step's outcome is unknown")
                    .ConfigureAwait(false);
            default:
                var ok = (await terminal.ConfigureAwait(false)).State.IsSuccess();
                await AgentReach.TrySendAsync(context, step.Node, AgentWireMapper.Cancel(runId, view.Step(step.StepId).WireId)).ConfigureAwait(false);
                return ok;
        }
    }

    /// <summary>Records a coordinator-side failure unless the step already ended; returns whether the step succeeded.</summary>
    private async Task<bool> FailAsync(PlanStep step, StepState state, string error)
    {
        inbox.Post(new FailStep(step.StepId, state, error));
        return (await view.Terminal(step.StepId).ConfigureAwait(false)).State.IsSuccess();
    }

    /// <summary>
    /// Sends a dispatched step's command. When the node's stream is down, waits up to
    /// <see cref="ExecutorOptions.ReconnectTimeout"/> for it to come back and sends again with the same step id
    /// (each attempt recorded first). Returns false when the node never came back.
    /// </summary>
    private async Task<bool> SendUntilDeliveredAsync(PlanStep step, DateTimeOffset deadline, CancellationToken ct)
    {
        inbox.Post(new SendRetrying(step.StepId, true));
        try
        {
            DateTimeOffset? giveUp = null;
            var pause = FirstResendPause;
            while (true)
            {
                try
                {
                    var command = AgentWireMapper.StepCommand(runId, view.Step(step.StepId).WireId, step.Action, deadline);
                    await context.Link.SendAsync(step.Node, command, ct).ConfigureAwait(false);
                    return true;
                }
                catch (AgentUnavailableException)
                {
                    RunLog.SendFailed(context.Logger, runId, step.StepId, step.Node);
                }

                giveUp ??= context.Time.GetUtcNow() + context.Options.ReconnectTimeout;
                // The broken stream may still be registered for a moment (until the endpoint drops it): back off, so a
                // dead stream costs a few recorded attempts, not one every poll.
                await Task.Delay(pause, context.Time, ct).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxResendPause.Ticks));
                if (!await AgentReach.WaitForNodeAsync(context, step.Node, giveUp.Value, ct).ConfigureAwait(false))
                {
                    return false;
                }

                deadline = context.Time.GetUtcNow() + step.Timeout;
                if (!await inbox.Ask<bool>(r => new RedispatchStep(step.StepId, deadline, r)).ConfigureAwait(false))
                {
                    return true; // settled meanwhile; the caller reads the outcome
                }
            }
        }
        finally
        {
            inbox.Post(new SendRetrying(step.StepId, false));
        }
    }

    /// <summary>
    /// Waits for a delivered step's outcome. Its timeout (+ grace) is a timer whose expiry the ledger turns into
    /// TIMED_OUT unless the outcome came first. A node that drops its stream meanwhile gets
    /// <see cref="ExecutorOptions.ReconnectTimeout"/> to come back (its journal then settles the step); one that stays
    /// away ends the wait then, instead of holding the run for the whole step timeout, which can be long.
    /// </summary>
    private async Task<OutcomeWait> WaitForOutcomeAsync(PlanStep step, Task<StepRecord> terminal, CancellationToken ct)
    {
        var timedOut = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var due = step.Timeout + context.Options.TimeoutGrace;
        using var deadline = context.Time.CreateTimer(
            _ => inbox.Post(new StepDeadlinePassed(step.StepId, step.Timeout, timedOut)), null, due < LongestTimer ? due : LongestTimer, Timeout.InfiniteTimeSpan);
        DateTimeOffset? disconnectedSince = null;
        while (!terminal.IsCompleted)
        {
            var now = context.Time.GetUtcNow();
            if (context.Link.IsConnected(step.Node))
            {
                disconnectedSince = null;
            }
            else if (context.Link.IsRemoved(step.Node))
            {
                // Revoked: it cannot reconnect, so waiting ReconnectTimeout for it would only hold the run.
                return OutcomeWait.NodeRemoved;
            }
            else
            {
                // A reconnection between two checks still restarts the clock.
                if (disconnectedSince is null || view.LastConnected(step.Node) > disconnectedSince)
                {
                    disconnectedSince = now;
                }

                if (now - disconnectedSince >= context.Options.ReconnectTimeout)
                {
                    return OutcomeWait.NodeLost;
                }
            }

            try
            {
                await terminal.WaitAsync(ConnectionCheckInterval, context.Time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Next check.
            }
        }

        return timedOut.Task is { IsCompletedSuccessfully: true, Result: true } ? OutcomeWait.TimedOut : OutcomeWait.Settled;
    }
}
