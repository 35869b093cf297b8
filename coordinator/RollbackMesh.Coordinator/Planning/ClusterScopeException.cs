namespace RollbackMesh.Coordinator.Planning;

/// <summary>No single cluster could be chosen for a plan; the message names the clusters concerned.</summary>
internal sealed class ClusterScopeException(ClusterScopeProblem problem, string message) : Exception(message)
{
    public ClusterScopeProblem Problem { get; } = problem;
}
