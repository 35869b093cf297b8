namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>One row of an agent's step journal as the tests read it straight from the agent's SQLite file.</summary>
internal sealed record JournalRow(string Node, string RunId, string StepId, string ActionKind, int Status, long StartedAt, long? FinishedAt);
