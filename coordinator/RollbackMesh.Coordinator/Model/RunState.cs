namespace RollbackMesh.Coordinator.Model;

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

    /// <summary>
    /// Every phase completed, but at least one node failed (or ended unknown) within a phase's failure budget: the
    /// run finished with failed nodes, which an operator must not read as plain success.
    /// </summary>
    SucceededWithFailures = 8,
}
