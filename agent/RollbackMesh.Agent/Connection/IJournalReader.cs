using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>What the connection needs from the step journal.</summary>
internal interface IJournalReader
{
    /// <summary>Every journalled step of <paramref name="runId"/> (answers a JournalQuery).</summary>
    Task<JournalReport> QueryAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The most recent step outcomes, re-sent after every (re)connect.</summary>
    Task<JournalReport> RecentAsync(CancellationToken cancellationToken);
}
