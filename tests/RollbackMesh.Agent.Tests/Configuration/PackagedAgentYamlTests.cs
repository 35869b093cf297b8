namespace RollbackMesh.Agent.Tests.Configuration;

/// <summary>The packaged /etc/rollbackmesh/agent.yaml: its commented-out examples must be keys the agent accepts.</summary>
public sealed class PackagedAgentYamlTests
{
    private static readonly Dictionary<string, string?> TestCoordinator = new()
    {
        ["ROLLBACKMESH_AGENT__ROLES__0"] = "compute",
        ["ROLLBACKMESH_AGENT__CLUSTER"] = "region-1",
        ["ROLLBACKMESH_AGENT__COORDINATOR__ADDRESS"] = "http://127.0.0.1:7443",
        ["ROLLBACKMESH_AGENT__COORDINATOR__INSECURE"] = "true",
    };

    [Fact]
    public void Resolve_PackagedFileWithPackageManagerAndBackupExamplesUncommented_BindsThem()
    {
        var lines = File.ReadAllLines(PackagedFile());
        var uncommented = new List<string>();
        var inPackageManager = false;
        foreach (var line in lines)
        {
            inPackageManager = line == "# packageManager:" || (inPackageManager && line.StartsWith("#   ", StringComparison.Ordinal));
            uncommented.Add(inPackageManager || line.StartsWith("# backupPath:", StringComparison.Ordinal) ? line[2..] : line);
        }

        using var config = new TempConfig(string.Join('\n', uncommented));

        var options = AgentOptionsResolver.Resolve(config.Path, TestCoordinator);

        Assert.Equal("/var/lib/rollbackmesh-agent/backup", options.BackupPath);
        Assert.Equal("/srv/root", options.PackageManager.InstallRoot);
        Assert.Equal("9", options.PackageManager.ReleaseVersion);
        Assert.NotNull(options.PackageManager.AptConfigFile);
        Assert.NotNull(options.PackageManager.DpkgAdminDirectory);
        Assert.NotNull(options.PackageManager.DnfConfigFile);
    }

    [Fact]
    public void Resolve_PackagedFileWithClusterExampleUncommented_BindsIt()
    {
        var lines = File.ReadAllLines(PackagedFile()).Select(l => l.StartsWith("# cluster:", StringComparison.Ordinal) ? l[2..] : l);
        using var config = new TempConfig(string.Join('\n', lines));
        var withoutCluster = TestCoordinator.Where(e => e.Key != "ROLLBACKMESH_AGENT__CLUSTER").ToDictionary();

        Assert.Equal("edge-01", AgentOptionsResolver.Resolve(config.Path, withoutCluster).Cluster);
    }

    [Fact]
    public void Resolve_PackagedFileWithARoleButNoCluster_RefusedNamingTheKey()
    {
        var withoutCluster = TestCoordinator.Where(e => e.Key != "ROLLBACKMESH_AGENT__CLUSTER").ToDictionary();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => AgentOptionsResolver.Resolve(PackagedFile(), withoutCluster));

        Assert.StartsWith("cluster: required for the roles compute", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_PackagedFile_AllowsTheBackupDirectoryAndUsrLocalBin()
    {
        var options = AgentOptionsResolver.Resolve(PackagedFile(), TestCoordinator);

        Assert.Contains(options.BackupPath, options.AllowedRoots);
        Assert.Contains("/usr/local/bin", options.AllowedRoots);
        Assert.Equal("/var/lib/rollbackmesh-agent/journal.db", options.JournalPath);
        Assert.Equal("/var/lib/rollbackmesh-agent/quarantine", options.QuarantinePath);
    }

    private static string PackagedFile()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "packaging", "config", "agent.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("packaging/config/agent.yaml not found above " + AppContext.BaseDirectory);
    }
}
