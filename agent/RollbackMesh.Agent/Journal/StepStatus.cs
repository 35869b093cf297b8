namespace RollbackMesh.Agent.Journal;

/// <summary>The state of a step as the agent records it.</summary>
internal enum StepStatus
{
    /// <summary>Journaled before running; still this after a crash means the outcome is unknown.</summary>
    Started = 1,

    /// <summary>Ran and verified.</summary>
    Succeeded = 2,

    /// <summary>Ran (or was checked) and failed.</summary>
    Failed = 3,

    /// <summary>Cancelled by the coordinator.</summary>
    Cancelled = 4,

    /// <summary>Already done: the repeat was a no-op.</summary>
    Skipped = 5,

    /// <summary>The deadline passed.</summary>
    TimedOut = 6,

    /// <summary>Rejected before running (validation, confinement).</summary>
    Refused = 7,
}
