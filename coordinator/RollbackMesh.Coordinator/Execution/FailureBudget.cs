using System.Collections.Immutable;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// How node failures decide a run, as functions of its step records: which nodes failed, whether a phase is over its
/// failure budget, which steps a failed node no longer gets, and how a run that got through every phase ends.
/// </summary>
internal static class FailureBudget
{
    /// <summary>The nodes with a step that ended without success, in step order.</summary>
    public static ImmutableArray<string> FailedNodes(IEnumerable<StepRecord> steps) =>
        [.. steps.Where(s => s.State.IsTerminal() && !s.State.IsSuccess()).Select(s => s.Node).Distinct()];

    /// <summary>More nodes failed than the phase tolerates: no new step of it may start.</summary>
    public static bool IsExceeded(PlanPhase phase, int failedNodes) => failedNodes > phase.FailureBudget;

    /// <summary>Why the run fails after <paramref name="phase"/>, or null when its failures are within budget.</summary>
    public static string? PhaseVerdict(PlanPhase phase, IReadOnlyList<string> failed) => IsExceeded(phase, failed.Count)
        ? $"phase {phase.Name}: {failed.Count} node(s) failed ({string.Join(", ", failed)}), over its failure budget of {phase.FailureBudget}; the phase was stopped"
        : null;

    /// <summary>
    /// The pending steps, from phase <paramref name="phaseIndex"/> on, of nodes that failed (in the phase each failed
    /// in, per <paramref name="failedIn"/>): they are skipped, never dispatched.
    /// </summary>
    public static ImmutableArray<(string StepId, string FailedPhase)> StepsToSkip(
        Plan plan, int phaseIndex, IReadOnlyDictionary<string, string> failedIn, IReadOnlyDictionary<string, StepRecord> steps) =>
        [.. plan.Phases.Skip(phaseIndex).SelectMany(RunPlanSteps.Of)
            .Where(s => failedIn.ContainsKey(s.Node) && steps[s.StepId].State == StepState.Pending)
            .Select(s => (s.StepId, failedIn[s.Node]))];

    /// <summary>How a run that passed every phase ends: succeeded, or succeeded with failures naming the failed nodes.</summary>
    public static (RunState State, string Message) RunVerdict(IEnumerable<StepRecord> steps) => FailedNodes(steps) switch
    {
        { Length: 0 } => (RunState.Succeeded, "completed"),
        var failed => (RunState.SucceededWithFailures,
            $"finished with failed nodes, within the failure budget: {string.Join(", ", failed)} (none of their later steps ran)"),
    };
}
