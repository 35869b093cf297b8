namespace RollbackMesh.Coordinator.Execution;

/// <summary>How a step ended on its node.</summary>
internal sealed record StepOutcome(StepState State, string Summary, string Error, bool AlreadyDone, bool Verified);
