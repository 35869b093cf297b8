namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// How much runbook text the coordinator reads from the runbook directory. A file over a limit is refused unread,
/// so a stray large file can neither take the coordinator's memory nor, through ListRunbooks, a reply's size.
/// </summary>
internal sealed record RunbookLimits
{
    /// <summary>The largest runbook file accepted, in bytes. Default 1 MiB (the largest built-in is under 16 KiB).</summary>
    public long MaxFileBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// The most bytes read from the directory's runbook files together. Default 16 MiB. Files are taken in ordinal
    /// name order; those that would go past the limit are refused.
    /// </summary>
    public long MaxDirectoryBytes { get; init; } = 16 * 1024 * 1024;
}
