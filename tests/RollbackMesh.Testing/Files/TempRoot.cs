namespace RollbackMesh.Testing.Files;

/// <summary>A private directory under /tmp (its real path, symlinks resolved), deleted at the end.</summary>
public sealed class TempRoot : IDisposable
{
    public TempRoot(string prefix = "rbm-test-")
    {
        var created = Directory.CreateTempSubdirectory(prefix);
        Path = created.ResolveLinkTarget(true)?.FullName ?? created.FullName;
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Creates the directory (and its parents) and returns its full path.</summary>
    public string Dir(string relative) => Directory.CreateDirectory(this[relative]).FullName;

    /// <summary>Writes a file (creating its directory) and returns its full path.</summary>
    public string Write(string relative, string content)
    {
        var full = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>An executable /bin/sh script: the body of a stand-in tool.</summary>
    public string Script(string relative, string body)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("stand-in scripts need a unix shell");
        }

        var full = Write(relative, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A test's leftover process may still hold a file; the directory is under /tmp.
        }
    }
}
