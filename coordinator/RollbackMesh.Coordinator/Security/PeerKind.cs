namespace RollbackMesh.Coordinator.Security;

/// <summary>What a client certificate identifies.</summary>
internal enum PeerKind
{
    /// <summary>A node's agent.</summary>
    Node,

    /// <summary>A human operator (or their automation).</summary>
    Operator,
}
