using System.Collections.Immutable;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Tests.Operators;

/// <summary>
/// Stands in for the runbook catalog and planner: returns the plan it holds for a runbook name (a different plan,
/// with a different hash, once <see cref="Plans"/> is changed, as a changed fleet would give).
/// </summary>
internal sealed class StandInPlanSource : IPlanSource
{
    public Dictionary<string, Plan> Plans { get; } = [];

    public Task<ImmutableArray<RunbookSummary>> ListRunbooksAsync(CancellationToken ct) =>
        Task.FromResult<ImmutableArray<RunbookSummary>>([.. Plans.Values.Select(p => new RunbookSummary(
            p.Runbook, p.RunbookVersion, p.Procedure, "stand-in", [new RunbookParameterSummary("version", "string", true, "", "target")],
            [.. p.Phases.Select(x => x.Name)]))]);

    public Task<Plan> CreatePlanAsync(string runbook, IReadOnlyDictionary<string, string> parameters, string cluster, CancellationToken ct) =>
        Plans.TryGetValue(runbook, out var plan)
            ? Task.FromResult(plan)
            : throw new OperatorException(OperatorErrorCode.NotFound, $"No runbook named '{runbook}'.");
}
