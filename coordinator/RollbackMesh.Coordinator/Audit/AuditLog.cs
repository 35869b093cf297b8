using System.Collections.Immutable;
using RollbackMesh.Coordinator.Storage;

namespace RollbackMesh.Coordinator.Audit;

/// <summary>
/// Who did what, when: operator commands (recorded here) and step and run transitions (recorded by the executor in
/// the same transaction as the transition). Queried by the operator API's History.
/// </summary>
internal sealed class AuditLog(CoordinatorStore store, TimeProvider time)
{
    /// <summary>Most entries one query returns.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Records an entry now; completes once it is durable.</summary>
    public Task RecordAsync(string who, string what, string runId, string detail) =>
        store.AppendAuditAsync(new AuditEntry(time.GetUtcNow(), who, what, runId, detail));

    /// <summary>
    /// The newest <paramref name="limit"/> entries (0: 100) older than the entry <paramref name="beforeId"/>, of one
    /// run or all, oldest first.
    /// </summary>
    public ImmutableArray<AuditEntry> Query(string runId, int limit, long beforeId = long.MaxValue) =>
        [.. store.QueryAudit(runId, limit <= 0 ? 100 : Math.Min(limit, MaxLimit), beforeId)];
}
