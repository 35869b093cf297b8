using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>Used until the step journal is wired in: a journal with no entries.</summary>
internal sealed class EmptyJournalReader : IJournalReader
{
    /// <inheritdoc />
    public Task<JournalReport> QueryAsync(string runId, CancellationToken cancellationToken) => Task.FromResult(new JournalReport());

    /// <inheritdoc />
    public Task<JournalReport> RecentAsync(CancellationToken cancellationToken) => Task.FromResult(new JournalReport());
}
