using System.Collections.Immutable;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Which steps a retry of an ended run (<c>rollbackmesh retry RUN</c>) gives a new attempt, and the refusals. A retry
/// runs the run's stored plan again from where it stopped: steps that succeeded (or were already done) keep their
/// outcome and are never sent again; failed, timed-out, cancelled and refused steps get the next attempt, and steps
/// skipped only because their node failed become pending. A step whose previous attempt may have partly run
/// (<see cref="OutcomeUnknown"/>: interrupted, its node lost, or timed out) is retried only when the operator accepts that by naming it, or all of them.
/// </summary>
internal static class RunRetry
{
    /// <summary>
    /// Phrases of a failure whose effect on the node is not known: the agent's "interrupted, state unknown" (it
    /// restarted while the step ran; StepRunner) and the coordinator's own "outcome is unknown" when the node was
    /// lost or removed with the step in flight (StepExecution).
    /// </summary>
    private static readonly string[] UnknownOutcomePhrases = ["state unknown", "outcome is unknown", "outcome on the node is unknown"];

    /// <summary>
    /// The step's last attempt may have done part of its work: repeating it blindly could do it twice. A timed-out
    /// step is one: the coordinator stopped waiting, but no result says the agent stopped, or what it had done.
    /// </summary>
    public static bool OutcomeUnknown(StepRecord step) =>
        step.State == StepState.TimedOut
        || (step.State == StepState.Failed && UnknownOutcomePhrases.Any(p => step.Error.Contains(p, StringComparison.Ordinal)));

    /// <summary>The step ended without its effect in place and a retry gives it a new attempt.</summary>
    public static bool NeedsNewAttempt(StepRecord step) =>
        step.State.IsTerminal() && !step.State.IsSuccess();

    /// <summary>
    /// The run's new header and the steps reset for the retry. Throws <see cref="RunStateException"/> when the run
    /// cannot be retried (naming its state) or has steps of unknown outcome the operator did not accept, and
    /// <see cref="ArgumentException"/> when an accepted step id is not such a step.
    /// </summary>
    public static (RunRecord Run, ImmutableArray<StepRecord> Reset) Prepare(
        RunRecord run, IReadOnlyList<StepRecord> steps, RetryAcceptance accept, string who, DateTimeOffset now)
    {
        var failedSteps = steps.Where(NeedsNewAttempt).ToList();
        var retryable = run.State == RunState.Failed
            || (run.State is RunState.Succeeded or RunState.SucceededWithFailures && failedSteps.Count > 0);
        if (!retryable)
        {
            throw new RunStateException(run.IsFinished
                ? $"Run {run.RunId} is {run.State}{(run.State == RunState.Succeeded ? " with every step done" : "")}; only a run that ended Failed, or finished with failed nodes (succeeded-with-failures), can be retried."
                : $"Run {run.RunId} is {run.State}; it has not ended, so it cannot be retried (wait for it, or abort it and start a new run).");
        }

        var unknown = failedSteps.Where(OutcomeUnknown).ToList();
        var strangers = accept.StepIds.Where(id => !unknown.Any(s => s.StepId == id)).Order(StringComparer.Ordinal).ToList();
        if (strangers.Count > 0)
        {
            throw new ArgumentException(
                $"--accept-unknown names {string.Join(", ", strangers)}, which {(strangers.Count == 1 ? "is" : "are")} not a step of run {run.RunId} whose outcome is unknown" +
                (unknown.Count == 0 ? " (it has none)." : $" (those are: {string.Join(", ", unknown.Select(s => s.StepId))})."));
        }

        var refused = unknown.Where(s => !accept.All && !accept.StepIds.Contains(s.StepId)).ToList();
        if (refused.Count > 0)
        {
            throw new RunStateException(
                $"Run {run.RunId} was not retried: the outcome of {refused.Count} step(s) is unknown, so they may have partly run and a new attempt would repeat them:\n" +
                string.Join("\n", refused.Select(s => $" - {s.StepId} on {s.Node} (attempt {s.Attempt}): {s.Error}")) +
                "\nCheck each node, then retry with --accept-unknown STEP for every step that is safe to run again (or --force-unknown for all of them).");
        }

        var attempt = run.Attempt + 1;
        var reset = steps
            .Select(s => NeedsNewAttempt(s)
                ? s with { State = StepState.Pending, Summary = "", Error = "", Approved = false, UpdatedAt = now, Attempt = s.Attempt + 1 }
                : s.SkippedForFailure
                ? s with { State = StepState.Pending, Summary = "", Error = "", UpdatedAt = now }
                : null)
            .OfType<StepRecord>()
            .ToImmutableArray();
        var retried = failedSteps.Count == 0
            ? "no step failed; the run continues from where it stopped"
            : $"{failedSteps.Count} step(s) get a new attempt: {string.Join(", ", failedSteps.Select(s => $"{s.StepId} (attempt {s.Attempt + 1})"))}";
        var accepted = unknown.Count == 0 ? "" : $"; unknown outcome accepted by {who}: {string.Join(", ", unknown.Select(s => s.StepId))}";
        var header = run with
        {
            State = RunState.Running,
            FinishedAt = null,
            AwaitingApproval = "",
            Attempt = attempt,
            Message = $"retry by {who} (run attempt {attempt}): {retried}{accepted}",
        };
        return (header, reset);
    }
}

/// <summary>
/// The steps of unknown outcome the operator accepts to run again: by plan step id (<c>--accept-unknown</c>), or all
/// of them (<c>--force-unknown</c>).
/// </summary>
internal sealed record RetryAcceptance(ImmutableHashSet<string> StepIds, bool All)
{
    public static readonly RetryAcceptance None = new([], false);
}
