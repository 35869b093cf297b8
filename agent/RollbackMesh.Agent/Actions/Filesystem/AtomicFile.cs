namespace RollbackMesh.Agent.Actions.Filesystem;

/// <summary>Writes whole files atomically: temp file in the same directory, fsync, rename, fsync the directory.</summary>
internal static class AtomicFile
{
    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="content"/>.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="content">The bytes to write.</param>
    /// <param name="mode">Unix mode for a new file; an existing file's mode is kept.</param>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.rollbackmesh-{Guid.NewGuid():N}.tmp");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the agent runs on Linux only");
        }

        var keepMode = File.Exists(path) ? File.GetUnixFileMode(path) : mode ?? (UnixFileMode)0b110_100_100;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temp, keepMode);
            if (!NativeFile.TryRename(temp, path))
            {
                throw new IOException($"rename {temp} -> {path} crossed filesystems");
            }

            NativeFile.SyncDirectory(directory);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> atomically (same guarantees as <see cref="Write"/>).</summary>
    public static void Copy(string source, string destination, UnixFileMode? mode = null)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the agent runs on Linux only");
        }

        var directory = Path.GetDirectoryName(destination)!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(destination)}.rollbackmesh-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var input = File.OpenRead(source))
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                input.CopyTo(output);
                output.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temp, mode ?? File.GetUnixFileMode(source));
            if (!NativeFile.TryRename(temp, destination))
            {
                throw new IOException($"rename {temp} -> {destination} crossed filesystems");
            }

            NativeFile.SyncDirectory(directory);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
