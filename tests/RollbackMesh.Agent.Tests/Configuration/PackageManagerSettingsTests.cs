using Microsoft.Extensions.Options;

namespace RollbackMesh.Agent.Tests.Configuration;

public sealed class PackageManagerSettingsTests
{
    private const string Base = """
        roles: [compute]
        cluster: test
        coordinator:
          address: http://127.0.0.1:7443
          insecure: true

        """;

    [Fact]
    public void Resolve_PackageManagerKeysAndBackupPath_Bind()
    {
        using var config = new TempConfig(Base + """
            backupPath: /srv/agent/backup
            packageManager:
              aptConfigFile: /srv/root/etc/apt/apt.conf
              dpkgAdminDirectory: /srv/root/var/lib/dpkg
              installRoot: /srv/root
              releaseVersion: "9"
              dnfConfigFile: /srv/root/etc/dnf/dnf.conf
            toolPaths:
              apt-cache: /opt/apt/bin/apt-cache
            """);

        var options = AgentOptionsResolver.Resolve(config.Path);

        Assert.Equal("/srv/agent/backup", options.BackupPath);
        Assert.Equal("/srv/root/etc/apt/apt.conf", options.PackageManager.AptConfigFile);
        Assert.Equal("/srv/root/var/lib/dpkg", options.PackageManager.DpkgAdminDirectory);
        Assert.Equal("/srv/root", options.PackageManager.InstallRoot);
        Assert.Equal("9", options.PackageManager.ReleaseVersion);
        Assert.Equal("/srv/root/etc/dnf/dnf.conf", options.PackageManager.DnfConfigFile);
        Assert.Equal("/opt/apt/bin/apt-cache", options.ToolPaths["apt-cache"]);
    }

    [Fact]
    public void Resolve_NoPackageManagerKeys_SystemDefaultsUnderTheAgentStateDirectory()
    {
        using var config = new TempConfig(Base);

        var options = AgentOptionsResolver.Resolve(config.Path);

        Assert.Null(options.PackageManager.AptConfigFile);
        Assert.Null(options.PackageManager.DpkgAdminDirectory);
        Assert.Null(options.PackageManager.InstallRoot);
        Assert.Null(options.PackageManager.ReleaseVersion);
        Assert.Null(options.PackageManager.DnfConfigFile);
        Assert.Equal("/usr/bin/apt-cache", options.ToolPaths["apt-cache"]);
        Assert.Equal("/var/lib/rollbackmesh-agent/backup", options.BackupPath);
        Assert.Equal("/var/lib/rollbackmesh-agent/journal.db", options.JournalPath);
        Assert.Equal("/var/lib/rollbackmesh-agent/quarantine", options.QuarantinePath);
    }

    [Fact]
    public void Resolve_EnvironmentVariables_SetPackageManagerKeys()
    {
        using var config = new TempConfig(Base);
        var environment = new Dictionary<string, string?>
        {
            ["ROLLBACKMESH_AGENT__PACKAGEMANAGER__INSTALLROOT"] = "/srv/env-root",
            ["ROLLBACKMESH_AGENT__BACKUPPATH"] = "/srv/env-backup",
        };

        var options = AgentOptionsResolver.Resolve(config.Path, environment);

        Assert.Equal("/srv/env-root", options.PackageManager.InstallRoot);
        Assert.Equal("/srv/env-backup", options.BackupPath);
    }

    [Fact]
    public void Resolve_RelativePaths_EachReportedUnderItsKey()
    {
        using var config = new TempConfig(Base + """
            backupPath: backup
            packageManager:
              aptConfigFile: etc/apt/apt.conf
              dpkgAdminDirectory: var/lib/dpkg
              installRoot: root
              releaseVersion: "9 --nogpgcheck"
              dnfConfigFile: ./dnf.conf
            toolPaths:
              apt-cache: apt-cache
            """);

        var error = Assert.Throws<OptionsValidationException>(() => AgentOptionsResolver.Resolve(config.Path));

        Assert.Equal(
            [
                "backupPath: 'backup' must be an absolute path",
                "packageManager.aptConfigFile: 'etc/apt/apt.conf' must be an absolute path",
                "packageManager.dnfConfigFile: './dnf.conf' must be an absolute path",
                "packageManager.dpkgAdminDirectory: 'var/lib/dpkg' must be an absolute path",
                "packageManager.installRoot: 'root' must be an absolute path",
                "packageManager.releaseVersion: '9 --nogpgcheck' is not a release version (e.g. 9, 8.6, rawhide)",
                "toolPaths.apt-cache: 'apt-cache' must be an absolute path",
            ],
            error.Failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Resolve_MisspelledPackageManagerKey_IsReported()
    {
        using var config = new TempConfig(Base + """
            packageManager:
              installroot: /srv/root
              aptConfig: /srv/root/etc/apt/apt.conf
            """);

        var error = Assert.Throws<OptionsValidationException>(() => AgentOptionsResolver.Resolve(config.Path));

        Assert.Equal(["packageManager.aptConfig: unknown key"], error.Failures.Select(f => f.Split(" (", 2)[0]));
    }
}
