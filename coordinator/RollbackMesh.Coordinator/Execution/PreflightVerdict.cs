using System.Collections.Immutable;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Whether a plan may start, and every reason it may not: the one place "preflight ok" is decided, for `plan` (what
/// the operator reads) and for StartRun (what apply enforces before recording a run). A plan is ok only when every
/// targeted node passes <see cref="PreflightChecks.CheckNode"/> and every phase step was dry-run and accepted by its
/// node's agent. A new kind of check adds its problems in <see cref="Of"/>.
/// </summary>
internal sealed record PreflightVerdict(ImmutableArray<string> Problems)
{
    public bool Ok => Problems.IsEmpty;

    /// <summary>
    /// Judges <paramref name="plan"/> against the fleet now and the agents' dry-run answers. Without answers (a plan
    /// asked for without dry runs) only the nodes are judged. A step of a node already reported unreachable is not
    /// listed again for having had no dry run.
    /// </summary>
    public static PreflightVerdict Of(Plan plan, FleetRegistry registry, ExecutorOptions options, IReadOnlyDictionary<string, DryRunAnswer>? dryRuns)
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        var flaggedNodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in plan.Preflight.Concat(plan.AllSteps).Select(s => s.Node).Distinct(StringComparer.Ordinal))
        {
            if (PreflightChecks.CheckNode(node, registry.Get(node), options) is { } problem)
            {
                problems.Add(problem);
                flaggedNodes.Add(node);
            }
        }

        if (dryRuns is not null)
        {
            foreach (var step in plan.AllSteps)
            {
                var answer = dryRuns.GetValueOrDefault(step.StepId, DryRunDispatcher.NotConnectedAnswer);
                if (!answer.Accepted && !(flaggedNodes.Contains(step.Node) && answer == DryRunDispatcher.NotConnectedAnswer))
                {
                    problems.Add($"{step.Node}: step {step.Name} (phase {step.Phase}) not accepted by its dry run: {answer.Refusal}");
                }
            }
        }

        return new PreflightVerdict(problems.ToImmutable());
    }
}
