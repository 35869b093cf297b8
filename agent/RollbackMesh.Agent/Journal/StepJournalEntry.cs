namespace RollbackMesh.Agent.Journal;

/// <summary>One journal row: a step of a run and what is known about it.</summary>
/// <param name="RunId">The coordinator's run id.</param>
/// <param name="StepId">The step id within the run.</param>
/// <param name="ActionKind">The action's kind (e.g. "felix_config").</param>
/// <param name="Status">Started, or the terminal status.</param>
/// <param name="StartedAt">When it was journaled as started.</param>
/// <param name="Outcome">The recorded outcome; null while only "started" is known.</param>
internal sealed record StepJournalEntry(
    string RunId,
    string StepId,
    string ActionKind,
    StepStatus Status,
    DateTimeOffset StartedAt,
    StepOutcome? Outcome);
