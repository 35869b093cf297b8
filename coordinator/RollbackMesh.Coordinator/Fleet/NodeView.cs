namespace RollbackMesh.Coordinator.Fleet;

/// <summary>
/// A node as the registry sees it now. <see cref="Stale"/>: no report for more than the allowed number of health
/// intervals. A node known only from the store (before its agent reconnects after a restart) is disconnected and has
/// no health. <see cref="Removed"/>: every certificate of the node is revoked (<c>node remove</c>).
/// </summary>
internal sealed record NodeView(NodeIdentity Identity, DateTimeOffset? LastSeen, bool Connected, bool Stale, NodeHealth? Health, bool Removed = false)
{
    public string Name => Identity.Name;

    /// <summary>Connected, reporting on time, and its last report says healthy.</summary>
    public bool IsHealthy => Connected && !Stale && Health is { Healthy: true };
}
