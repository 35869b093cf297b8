namespace RollbackMesh.Agent.Health;

/// <summary>
/// Free space of the filesystems holding the data directories. DriveInfo on Linux calls statvfs(2) on the path it is
/// given, so any directory works, not only mount points.
/// </summary>
internal sealed class DiskProbe
{
    private readonly IReadOnlyList<string> _directories;

    /// <summary>Creates the probe for <paramref name="directories"/>.</summary>
    public DiskProbe(IReadOnlyList<string> directories) => _directories = directories;

    /// <summary>Measures every directory; a missing or unreadable one is a problem.</summary>
    public IReadOnlyList<DiskSpace> Probe(ICollection<string> problems)
    {
        var disks = new List<DiskSpace>(_directories.Count);
        foreach (var directory in _directories)
        {
            if (!Directory.Exists(directory))
            {
                problems.Add($"disk {directory}: the directory does not exist");
                continue;
            }

            try
            {
                var drive = new DriveInfo(directory);
                disks.Add(new DiskSpace(directory, (ulong)drive.AvailableFreeSpace, (ulong)drive.TotalSize));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                problems.Add($"disk {directory}: cannot read free space ({ex.Message})");
            }
        }

        return disks;
    }
}
