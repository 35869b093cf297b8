namespace RollbackMesh.Agent.Actions.Filesystem;

/// <summary>
/// Keeps everything an action replaces: files are copied to the backup directory before an edit, and
/// "removed" files and directories are renamed into the quarantine. Rename only, never copy+delete and never
/// rm -rf: when the configured quarantine is on another filesystem, a sibling ".rollbackmesh-quarantine"
/// directory next to the path is used instead, which is on the same filesystem by construction.
/// </summary>
internal sealed class Quarantine
{
    private readonly string _quarantineDirectory;
    private readonly string _backupDirectory;
    private readonly TimeProvider _time;

    /// <summary>Creates the quarantine over the two configured directories.</summary>
    public Quarantine(string quarantineDirectory, string backupDirectory, TimeProvider time)
    {
        _quarantineDirectory = quarantineDirectory;
        _backupDirectory = backupDirectory;
        _time = time;
    }

    /// <summary>Copies <paramref name="path"/> into the backup directory (fsync'd) and returns the backup's path.</summary>
    public string Backup(string path)
    {
        Directory.CreateDirectory(_backupDirectory);
        var destination = Path.Combine(_backupDirectory, StampedName(path));
        AtomicFile.Copy(path, destination);
        return destination;
    }

    /// <summary>Renames <paramref name="path"/> (file or directory) into the quarantine; returns where it went.</summary>
    public string MoveAside(string path)
    {
        var name = StampedName(path);
        Directory.CreateDirectory(_quarantineDirectory);
        var destination = Path.Combine(_quarantineDirectory, name);
        if (NativeFile.TryRename(path, destination))
        {
            NativeFile.SyncDirectory(_quarantineDirectory);
            NativeFile.SyncDirectory(Path.GetDirectoryName(path)!);
            return destination;
        }

        var sibling = Path.Combine(Path.GetDirectoryName(path)!, ".rollbackmesh-quarantine");
        Directory.CreateDirectory(sibling);
        destination = Path.Combine(sibling, name);
        if (!NativeFile.TryRename(path, destination))
        {
            throw new IOException($"cannot move {path} aside on its own filesystem");
        }

        NativeFile.SyncDirectory(sibling);
        NativeFile.SyncDirectory(Path.GetDirectoryName(path)!);
        return destination;
    }

    private string StampedName(string path)
    {
        var stamp = _time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var flat = path.Trim('/').Replace('/', '_');
        var name = $"{stamp}-{flat}";
        var candidate = name;
        for (var i = 1; Path.Exists(Path.Combine(_quarantineDirectory, candidate)) || Path.Exists(Path.Combine(_backupDirectory, candidate)); i++)
        {
            candidate = $"{name}.{i}";
        }

        return candidate;
    }
}
