namespace RollbackMesh.Coordinator.Security;

/// <summary>Writes PEM files with the right permissions from the start (no window where a key is world-readable).</summary>
internal static class PemFile
{
    /// <summary>The mode of private keys and secret state: owner read/write only.</summary>
    public const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The mode of certificates: readable by all, writable by the owner.</summary>
    public const UnixFileMode PublicMode = SecretMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Creates <paramref name="path"/> with <paramref name="contents"/>; false (and no change) when it exists.</summary>
    public static bool TryCreateNew(string path, string contents, bool secret)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, CreateOptions(FileMode.CreateNew, FileAccess.Write, FileShare.Read, secret ? SecretMode : PublicMode));
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }

        using (stream)
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        return true;
    }

    /// <summary>Replaces <paramref name="path"/> atomically (write a temporary file, then rename over).</summary>
    public static void Replace(string path, string contents, bool secret)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        File.Delete(temp);
        if (!TryCreateNew(temp, contents, secret))
        {
            throw new IOException($"Could not create {temp}.");
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Creates <paramref name="directory"/> (and parents) with mode 0700 when it does not exist.</summary>
    public static void EnsurePrivateDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>File options that create a new file with <paramref name="mode"/> (where the platform has modes).</summary>
    public static FileStreamOptions CreateOptions(FileMode fileMode, FileAccess access, FileShare share, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = fileMode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        return options;
    }
}
