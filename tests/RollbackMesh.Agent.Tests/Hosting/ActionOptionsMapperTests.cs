using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Hosting;
using RollbackMesh.Agent.Tests.Configuration;

namespace RollbackMesh.Agent.Tests.Hosting;

public sealed class ActionOptionsMapperTests
{
    [Fact]
    public void From_PackageManagerKeysInAgentYaml_ReachThePackageOptions()
    {
        using var config = new TempConfig("""
            roles: [compute]
            cluster: test
            coordinator:
              address: http://127.0.0.1:7443
              insecure: true
            backupPath: /srv/agent/backup
            packageManager:
              aptConfigFile: /srv/root/etc/apt/apt.conf
              dpkgAdminDirectory: /srv/root/var/lib/dpkg
              installRoot: /srv/root
              releaseVersion: "8.6"
              dnfConfigFile: /srv/root/etc/dnf/dnf.conf
            toolPaths:
              apt-cache: /opt/apt/bin/apt-cache
              dnf: /opt/dnf/bin/dnf
            """);

        var actions = ActionOptionsMapper.From(AgentOptionsResolver.Resolve(config.Path));

        Assert.Equal("/srv/agent/backup", actions.BackupDirectory);
        Assert.Equal("/srv/root/etc/apt/apt.conf", actions.Packages.AptConfigFile);
        Assert.Equal("/srv/root/var/lib/dpkg", actions.Packages.DpkgAdminDirectory);
        Assert.Equal("/srv/root", actions.Packages.InstallRoot);
        Assert.Equal("8.6", actions.Packages.ReleaseVersion);
        Assert.Equal("/srv/root/etc/dnf/dnf.conf", actions.Packages.DnfConfigFile);
        Assert.Equal("/opt/apt/bin/apt-cache", actions.Packages.AptCache);
        Assert.Equal("/opt/dnf/bin/dnf", actions.Packages.Dnf);
    }

    [Fact]
    public void From_DefaultOptions_StateUnderTheAgentStateDirectoryAndSystemPackageRoot()
    {
        var actions = ActionOptionsMapper.From(new AgentOptions());

        Assert.Equal("/var/lib/rollbackmesh-agent/backup", actions.BackupDirectory);
        Assert.Equal("/var/lib/rollbackmesh-agent/quarantine", actions.QuarantineDirectory);
        Assert.Equal("/usr/bin/apt-cache", actions.Packages.AptCache);
        Assert.Null(actions.Packages.AptConfigFile);
        Assert.Null(actions.Packages.DpkgAdminDirectory);
        Assert.Null(actions.Packages.InstallRoot);
        Assert.Null(actions.Packages.ReleaseVersion);
        Assert.Null(actions.Packages.DnfConfigFile);
    }
}
