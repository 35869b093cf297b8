namespace RollbackMesh.Coordinator.Audit;

/// <summary>
/// One audited event: an operator command (who = the operator) or a step transition (who = the coordinator or the
/// reporting node). <see cref="RunId"/> is empty for events outside a run.
/// </summary>
internal sealed record AuditEntry(DateTimeOffset At, string Who, string What, string RunId, string Detail)
{
    /// <summary>The store's sequence number (a higher one is newer); 0 until the entry is stored.</summary>
    public long Id { get; init; }
}
