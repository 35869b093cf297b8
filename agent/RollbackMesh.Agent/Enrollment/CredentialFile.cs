namespace RollbackMesh.Agent.Enrollment;

/// <summary>Writes credential files atomically and, for keys, owner-only (0600) from the moment they exist.</summary>
internal static class CredentialFile
{
    private const UnixFileMode Secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = Secret | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <paramref name="contents"/> to a temporary file beside <paramref name="path"/>; returns its path.</summary>
    public static string WriteTemporary(string path, string contents, bool secret)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = path + ".new";
        File.Delete(temp);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret ? Secret : Public;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        return temp;
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/> atomically.</summary>
    public static void Replace(string path, string contents, bool secret) =>
        File.Move(WriteTemporary(path, contents, secret), path, overwrite: true);
}
