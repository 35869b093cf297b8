namespace RollbackMesh.Coordinator.Model;

/// <summary>One entry of an agent's journal: what it recorded for a step of a run.</summary>
internal sealed record JournalRecord(string RunId, string StepId, StepState State, StepOutcome? Outcome);
