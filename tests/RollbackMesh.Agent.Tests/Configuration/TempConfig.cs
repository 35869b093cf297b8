namespace RollbackMesh.Agent.Tests.Configuration;

/// <summary>A YAML config file in a temporary directory, deleted on dispose.</summary>
internal sealed class TempConfig : IDisposable
{
    public TempConfig(string yaml)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("rbm-agent-config-").FullName;
        Path = System.IO.Path.Combine(Directory, "agent.yaml");
        File.WriteAllText(Path, yaml);
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
