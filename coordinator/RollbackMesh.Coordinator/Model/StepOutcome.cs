namespace RollbackMesh.Coordinator.Model;

/// <summary>How a step ended on its node. <see cref="DryRun"/> is the agent's description (diff, package transaction) of a dry run.</summary>
internal sealed record StepOutcome(StepState State, string Summary, string Error, bool AlreadyDone, bool Verified, string DryRun = "");
