namespace RollbackMesh.Agent.Health;

/// <summary>
/// Free space of the filesystems holding the data directories. DriveInfo on Linux calls statvfs(2) on the path it is
/// given, so any directory works, not only mount points. A directory that does not exist yet (a quarantine before
/// its first use, the K3s data directory on an OpenStack node) is measured on the nearest existing parent: the
/// filesystem it would be created on.
/// </summary>
internal sealed class DiskProbe
{
    private readonly IReadOnlyList<string> _directories;

    /// <summary>Creates the probe for <paramref name="directories"/>.</summary>
    public DiskProbe(IReadOnlyList<string> directories) => _directories = directories;

    /// <summary>Measures every directory; an unreadable one is a problem.</summary>
    public IReadOnlyList<DiskSpace> Probe(ICollection<string> problems)
    {
        var disks = new List<DiskSpace>(_directories.Count);
        foreach (var directory in _directories)
        {
            var existing = NearestExisting(directory);
            if (existing is null)
            {
                problems.Add($"disk {directory}: neither it nor any parent directory exists");
                continue;
            }

            try
            {
                var drive = new DriveInfo(existing);
                disks.Add(new DiskSpace(directory, (ulong)drive.AvailableFreeSpace, (ulong)drive.TotalSize));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                problems.Add($"disk {directory}: cannot read free space ({ex.Message})");
            }
        }

        return disks;
    }

    private static string? NearestExisting(string directory)
    {
        for (var current = directory; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (Directory.Exists(current))
            {
                return current;
            }
        }

        return null;
    }
}
