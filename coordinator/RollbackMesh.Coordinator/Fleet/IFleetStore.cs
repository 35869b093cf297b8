namespace RollbackMesh.Coordinator.Fleet;

/// <summary>Where the registry keeps known nodes so they survive a coordinator restart.</summary>
internal interface IFleetStore
{
    /// <summary>Records (or replaces) a node's identity and when it was last seen.</summary>
    Task SaveNodeAsync(NodeIdentity node, DateTimeOffset? lastSeen);

    /// <summary>Every known node.</summary>
    IReadOnlyList<(NodeIdentity Node, DateTimeOffset? LastSeen)> LoadNodes();
}
