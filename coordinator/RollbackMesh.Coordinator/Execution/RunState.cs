namespace RollbackMesh.Coordinator.Execution;

/// <summary>Where a run is. Mirrors the wire <c>RunState</c>; values are stored, so never renumber.</summary>
internal enum RunState
{
    Pending = 1,
    Running = 2,
    Paused = 3,
    AwaitingApproval = 4,
    Succeeded = 5,
    Failed = 6,
    Aborted = 7,
}
