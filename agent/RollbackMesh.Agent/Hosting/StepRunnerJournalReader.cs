using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Steps;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Hosting;

/// <summary>Answers journal queries and lists recent outcomes from the step runner's durable journal.</summary>
internal sealed class StepRunnerJournalReader : IJournalReader
{
    /// <summary>How many recent outcomes are re-sent after a reconnect.</summary>
    public const int RecentCount = 50;

    private readonly StepRunner _runner;

    /// <summary>Wraps <paramref name="runner"/>.</summary>
    public StepRunnerJournalReader(StepRunner runner) => _runner = runner;

    /// <inheritdoc />
    public Task<JournalReport> QueryAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult(_runner.QueryJournal(new JournalQuery { RunId = runId }));

    /// <inheritdoc />
    public Task<JournalReport> RecentAsync(CancellationToken cancellationToken) => Task.FromResult(_runner.RecentJournal(RecentCount));
}
