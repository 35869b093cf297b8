namespace RollbackMesh.Coordinator.Model;

/// <summary>One change of a run, as watchers see it: when, what happened, and the run afterwards.</summary>
internal sealed record RunEventRecord(DateTimeOffset At, string Message, RunSnapshot Snapshot);
