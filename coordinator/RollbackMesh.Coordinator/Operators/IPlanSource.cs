using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Operators;

/// <summary>
/// The runbook catalog and planner as the operator API needs them. Implementations report an unknown runbook as
/// <see cref="OperatorException"/> NotFound and bad parameters or an unplannable fleet as InvalidArgument /
/// FailedPrecondition, listing every problem in the message. An unknown cluster is NotFound and a fleet of several
/// clusters planned without naming one InvalidArgument, naming the clusters.
/// </summary>
internal interface IPlanSource
{
    Task<ImmutableArray<RunbookSummary>> ListRunbooksAsync(CancellationToken ct);

    /// <summary>
    /// Compiles <paramref name="runbook"/> with <paramref name="parameters"/> against the current fleet's nodes in
    /// <paramref name="cluster"/> (empty: the only cluster the fleet's nodes are in, <see cref="ClusterScope"/>).
    /// </summary>
    Task<Plan> CreatePlanAsync(string runbook, IReadOnlyDictionary<string, string> parameters, string cluster, CancellationToken ct);
}
