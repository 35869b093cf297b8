namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>A private directory under /tmp (its real path), deleted at the end.</summary>
internal sealed class TempRoot : IDisposable
{
    public TempRoot(string prefix = "rm-agent-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).ResolveLinkTarget(true)?.FullName
            ?? Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public string Dir(string relative)
    {
        var full = this[relative];
        Directory.CreateDirectory(full);
        return full;
    }

    public string Write(string relative, string content)
    {
        var full = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
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
