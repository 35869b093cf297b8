using Xunit;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// The agent .rpm's install, upgrade and erase with a real rpm against a real systemd (inside a testbed
/// container; --nodeps because a Debian rootfs has no glibc/openssl-libs capabilities): %config(noreplace) keeps
/// the operator's file and erase keeps state, like the .deb's remove.
/// </summary>
[Collection(NspawnCollection.Name)]
public sealed class AgentRpmLifecycleTests(NspawnTestbed testbed)
{
    private const string Config = "/etc/rollbackmesh/agent.yaml";
    private const string Journal = "/var/lib/rollbackmesh-agent/journal.db";

    [NspawnFact]
    public async Task RpmUpgradeThenErase_EditedConfigAndState_Kept()
    {
        var version = RepositoryLayout.ProductVersion;
        var higherVersion = AgentPackage.NextPatchVersion(version);
        var current = await AgentPackage.BuildRpmAsync(version, skipPublish: true).ConfigureAwait(true);
        var higher = await AgentPackage.BuildRpmAsync(higherVersion, skipPublish: true).ConfigureAwait(true);
        await using var node = await testbed.StartContainerAsync().ConfigureAwait(true);
        await node.CopyFileInAsync(current, "/var/tmp/current.rpm").ConfigureAwait(true);
        await node.CopyFileInAsync(higher, "/var/tmp/higher.rpm").ConfigureAwait(true);

        (await node.ExecAsync("rpm", "-i", "--nodeps", "/var/tmp/current.rpm").ConfigureAwait(true)).EnsureSuccess();
        Assert.Equal("loaded", await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "LoadState").ConfigureAwait(true));
        Assert.Equal("enabled", await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "UnitFileState").ConfigureAwait(true));
        var edited = await node.ReadFileAsync(Config).ConfigureAwait(true) + "logLevel: Debug\n";
        await node.WriteFileAsync(Config, edited).ConfigureAwait(true);
        await node.WriteFileAsync(Journal, "journal rows", "0600").ConfigureAwait(true);

        (await node.ExecAsync("rpm", "-U", "--nodeps", "/var/tmp/higher.rpm").ConfigureAwait(true)).EnsureSuccess();
        Assert.Equal(higherVersion, (await node.ExecAsync("rpm", "-q", "--qf", "%{VERSION}", "rollbackmesh-agent").ConfigureAwait(true)).StandardOutput.Trim());
        Assert.Equal(edited, await node.ReadFileAsync(Config).ConfigureAwait(true));
        Assert.False(await node.ExistsAsync(Config + ".rpmnew").ConfigureAwait(true));
        Assert.Equal("journal rows", await node.ReadFileAsync(Journal).ConfigureAwait(true));
        Assert.Equal("enabled", await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "UnitFileState").ConfigureAwait(true));

        (await node.ExecAsync("rpm", "-e", "--nodeps", "rollbackmesh-agent").ConfigureAwait(true)).EnsureSuccess();
        Assert.False(await node.ExistsAsync("/usr/bin/rollbackmesh-agent").ConfigureAwait(true));
        Assert.Equal(edited, await node.ReadFileAsync(Config + ".rpmsave").ConfigureAwait(true));
        Assert.Equal("journal rows", await node.ReadFileAsync(Journal).ConfigureAwait(true));
        Assert.False(await node.ExistsAsync("/etc/systemd/system/multi-user.target.wants/rollbackmesh-agent.service").ConfigureAwait(true));
    }
}
