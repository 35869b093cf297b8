using Microsoft.Extensions.Logging;
using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Confinement;
using RollbackMesh.Agent.Journal;
using RollbackMesh.Agent.Processes;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Steps;

/// <summary>The run itself: validation, journaling, deadline and the action's four phases.</summary>
internal sealed partial class StepRunner
{
    private async Task<V1.StepResult> ExecuteAsync(StepKey key, V1.StepCommand command, UpdateSink sink, InFlight flight, CancellationToken shutdown)
    {
        var startedAt = Now();
        var kind = ActionFactory.KindOf(command.Action);
        IAgentAction action;
        try
        {
            action = _factory.Create(command.Action ?? new V1.Action());
        }
        catch (Exception ex) when (ex is ActionValidationException or PathConfinementException)
        {
            StepRunnerLog.StepRefused(_logger, key, ex.Message);
            return Finish(key, kind, startedAt, Outcome(StepStatus.Refused, startedAt, error: ex.Message));
        }

        // Durable BEFORE anything runs: after a crash this row is what prevents a silent second run.
        if (_journal.TryBegin(key.RunId, key.StepId, kind, startedAt) is { } raced)
        {
            return Recorded(key, raced);
        }

        StepRunnerLog.StepStarted(_logger, key, kind);
        sink.Running();
        var deadline = command.Deadline?.ToDateTimeOffset();
        if (deadline is { } due && due <= startedAt)
        {
            return Complete(key, Outcome(StepStatus.TimedOut, startedAt, error: $"deadline {due:O} had passed before the step started"));
        }

        using var timeout = deadline is { } d ? new CancellationTokenSource(d - startedAt, _time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(flight.Cancellation.Token, timeout.Token);
        var context = Context(sink.Output) with { Deadline = deadline };
        try
        {
            if (await action.IsAlreadyDoneAsync(context, linked.Token).ConfigureAwait(false))
            {
                return Complete(key, Outcome(StepStatus.Skipped, startedAt, summary: "already done: nothing to do") with { AlreadyDone = true, Verified = true });
            }

            var summary = await action.ExecuteAsync(context, linked.Token).ConfigureAwait(false);
            var verified = await action.VerifyAsync(context, linked.Token).ConfigureAwait(false);
            return Complete(key, verified
                ? Outcome(StepStatus.Succeeded, startedAt, summary) with { Verified = true }
                : Outcome(StepStatus.Failed, startedAt, summary, "ran, but verification of the result failed"));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !flight.CancelRequested)
        {
            return Complete(key, Outcome(StepStatus.TimedOut, startedAt, error: $"deadline {deadline:O} reached; the step was stopped"));
        }
        catch (OperationCanceledException) when (flight.CancelRequested || shutdown.IsCancellationRequested)
        {
            var reason = flight.CancelRequested ? "cancelled by the coordinator" : "cancelled: agent shutting down";
            return Complete(key, Outcome(StepStatus.Cancelled, startedAt, error: reason));
        }
        catch (Exception ex) when (ex is ActionFailedException or ToolStartException or IOException or UnauthorizedAccessException)
        {
            return Complete(key, Outcome(StepStatus.Failed, startedAt, error: ex.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            StepRunnerLog.StepCrashed(_logger, key, ex);
            return Complete(key, Outcome(StepStatus.Failed, startedAt, error: $"unexpected {ex.GetType().Name}: {ex.Message}"));
        }
    }

    private async Task<V1.StepResult> DryRunAsync(V1.StepCommand command, CancellationToken cancellationToken)
    {
        var startedAt = Now();
        try
        {
            var action = _factory.Create(command.Action ?? new V1.Action());
            var description = await action.DescribeAsync(Context(static _ => { }), cancellationToken).ConfigureAwait(false);
            return StepResults.ToWire(Outcome(StepStatus.Succeeded, startedAt, "dry run") with { DryRun = description });
        }
        catch (Exception ex) when (ex is ActionValidationException or PathConfinementException)
        {
            return StepResults.ToWire(Outcome(StepStatus.Refused, startedAt, error: ex.Message));
        }
        catch (Exception ex) when (ex is ActionFailedException or ToolStartException or IOException or UnauthorizedAccessException)
        {
            return StepResults.ToWire(Outcome(StepStatus.Failed, startedAt, error: ex.Message));
        }
    }

    private V1.StepResult Finish(StepKey key, string kind, DateTimeOffset startedAt, StepOutcome outcome)
    {
        if (_journal.TryBegin(key.RunId, key.StepId, kind, startedAt) is { } raced)
        {
            return Recorded(key, raced);
        }

        return Complete(key, outcome);
    }

    private V1.StepResult Complete(StepKey key, StepOutcome outcome)
    {
        _journal.Complete(key.RunId, key.StepId, outcome);
        StepRunnerLog.StepFinished(_logger, key, outcome.Status.ToString(), outcome.Status is StepStatus.Succeeded or StepStatus.Skipped ? outcome.Summary : outcome.Error);
        return StepResults.ToWire(outcome);
    }
}
