namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>A documented step the runbook deliberately does not automate, and why.</summary>
internal sealed record UnmappedStep(string Step, string Reason, SourcePosition Position);
