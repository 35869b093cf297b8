namespace RollbackMesh.Agent.Systemd;

/// <summary>How a systemd job ended, from the result string of its <c>JobRemoved</c> signal.</summary>
internal enum JobResult
{
    /// <summary>"done": the job completed successfully.</summary>
    Done,

    /// <summary>"failed": the unit failed (e.g. its process exited non-zero).</summary>
    Failed,

    /// <summary>"timeout": systemd's own job timeout elapsed.</summary>
    Timeout,

    /// <summary>"canceled": the job was cancelled before it finished (e.g. replaced by a conflicting job).</summary>
    Canceled,

    /// <summary>"dependency": a required dependency failed.</summary>
    Dependency,

    /// <summary>"skipped": the job type does not apply to the unit's state.</summary>
    Skipped,

    /// <summary>Any other result string (e.g. "invalid", "once").</summary>
    Unknown,
}
