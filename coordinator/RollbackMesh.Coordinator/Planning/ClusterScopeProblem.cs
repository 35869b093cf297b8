namespace RollbackMesh.Coordinator.Planning;

/// <summary>Why no cluster could be chosen.</summary>
internal enum ClusterScopeProblem
{
    /// <summary>The cluster asked for has no node.</summary>
    Unknown,

    /// <summary>None was asked for and the fleet's nodes are in several.</summary>
    SeveralClusters,
}
