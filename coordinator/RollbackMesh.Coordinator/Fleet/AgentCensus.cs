namespace RollbackMesh.Coordinator.Fleet;

/// <summary>The fleet's agents counted two ways at one instant: by role (a node under each of its roles) and by cluster.</summary>
internal sealed record AgentCensus(
    IReadOnlyDictionary<string, AgentCounts> ByRole,
    IReadOnlyDictionary<string, AgentCounts> ByCluster);
