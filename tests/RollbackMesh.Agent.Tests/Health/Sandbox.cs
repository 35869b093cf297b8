namespace RollbackMesh.Agent.Tests.Health;

/// <summary>A temporary node root: directories, config files and executable stand-in scripts.</summary>
internal sealed class Sandbox : IDisposable
{
    public Sandbox() => Root = System.IO.Directory.CreateTempSubdirectory("rbm-health-").FullName;

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string MakeDirectory(string relative) => System.IO.Directory.CreateDirectory(PathOf(relative)).FullName;

    public string File(string relative, string content)
    {
        var path = PathOf(relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>An executable /bin/sh script.</summary>
    public string Script(string relative, string body)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("stand-in scripts need a unix shell");
        }

        var path = File(relative, "#!/bin/sh\n" + body + "\n");
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);
}
