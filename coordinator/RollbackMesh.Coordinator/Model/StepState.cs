namespace RollbackMesh.Coordinator.Model;

/// <summary>Where one step of a run is. Mirrors the wire <c>StepState</c>; values are stored, so never renumber.</summary>
internal enum StepState
{
    Pending = 1,
    Dispatched = 2,
    Running = 3,
    Succeeded = 4,
    Failed = 5,
    Cancelled = 6,
    /// <summary>Already done on the node: the repeat was a no-op. Counts as success.</summary>
    Skipped = 7,
    TimedOut = 8,
    /// <summary>Rejected by the agent before running (confinement, validation).</summary>
    Refused = 9,
}
