using Xunit;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// The agent .deb's install, upgrade, remove and purge on a clean container with a real systemd and dpkg:
/// configuration and state survive everything but purge, and purge never deletes quarantined data.
/// </summary>
[Collection(NspawnCollection.Name)]
public sealed class AgentPackageLifecycleTests(NspawnTestbed testbed)
{
    private const string Config = "/etc/rollbackmesh/agent.yaml";
    private const string Journal = "/var/lib/rollbackmesh-agent/journal.db";
    private const string Edit = "# edited by the operator\nlogLevel: Debug\n";

    [NspawnFact]
    public async Task DebUpgrade_EditedConfigAndState_KeptAndUnitStillEnabled()
    {
        var higher = await AgentPackage.BuildAsync(AgentPackage.NextPatchVersion(RepositoryLayout.ProductVersion), skipPublish: true).ConfigureAwait(true);
        await using var node = await testbed.StartContainerAsync().ConfigureAwait(true);
        (await node.InstallDebAsync(testbed.AgentPackagePath).ConfigureAwait(true)).EnsureSuccess();
        var edited = await node.ReadFileAsync(Config).ConfigureAwait(true) + Edit;
        await node.WriteFileAsync(Config, edited).ConfigureAwait(true);
        await node.WriteFileAsync(Journal, "journal rows", "0600").ConfigureAwait(true);

        // No --force-conf* option: an edited conffile must be kept by default, without a prompt.
        var upgrade = (await node.InstallDebAsync(higher).ConfigureAwait(true)).EnsureSuccess();

        Assert.Equal($"install ok installed {AgentPackage.NextPatchVersion(RepositoryLayout.ProductVersion)}", await StatusAsync(node).ConfigureAwait(true));
        Assert.Equal(edited, await node.ReadFileAsync(Config).ConfigureAwait(true));
        Assert.Equal("journal rows", await node.ReadFileAsync(Journal).ConfigureAwait(true));
        Assert.Equal("enabled", await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "UnitFileState").ConfigureAwait(true));
        Assert.DoesNotContain("set roles and coordinator", upgrade.StandardOutput, StringComparison.Ordinal);
    }

    [NspawnFact]
    public async Task DebRemove_EditedConfigAndState_KeptUntilPurge()
    {
        await using var node = await testbed.StartContainerAsync().ConfigureAwait(true);
        (await node.InstallDebAsync(testbed.AgentPackagePath).ConfigureAwait(true)).EnsureSuccess();
        var edited = await node.ReadFileAsync(Config).ConfigureAwait(true) + Edit;
        await node.WriteFileAsync(Config, edited).ConfigureAwait(true);
        await node.WriteFileAsync(Journal, "journal rows", "0600").ConfigureAwait(true);

        (await node.ExecAsync("dpkg", "-r", "rollbackmesh-agent").ConfigureAwait(true)).EnsureSuccess();

        Assert.StartsWith("deinstall ok config-files", await StatusAsync(node).ConfigureAwait(true), StringComparison.Ordinal);
        Assert.False(await node.ExistsAsync("/usr/bin/rollbackmesh-agent").ConfigureAwait(true));
        Assert.Equal(edited, await node.ReadFileAsync(Config).ConfigureAwait(true));
        Assert.Equal("journal rows", await node.ReadFileAsync(Journal).ConfigureAwait(true));

        // Reinstalled after a remove: enabled again, and the kept configuration is still the operator's.
        (await node.InstallDebAsync(testbed.AgentPackagePath).ConfigureAwait(true)).EnsureSuccess();
        Assert.Equal("enabled", await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "UnitFileState").ConfigureAwait(true));
        Assert.Equal(edited, await node.ReadFileAsync(Config).ConfigureAwait(true));

        (await node.ExecAsync("dpkg", "-P", "rollbackmesh-agent").ConfigureAwait(true)).EnsureSuccess();
        Assert.False(await node.ExistsAsync(Config).ConfigureAwait(true));
        Assert.False(await node.ExistsAsync("/var/lib/rollbackmesh-agent").ConfigureAwait(true));
        Assert.False(await node.ExistsAsync("/etc/systemd/system/multi-user.target.wants/rollbackmesh-agent.service").ConfigureAwait(true));
    }

    [NspawnFact]
    public async Task DebPurge_QuarantineHoldsData_StateDirectoryKept()
    {
        await using var node = await testbed.StartContainerAsync().ConfigureAwait(true);
        (await node.InstallDebAsync(testbed.AgentPackagePath).ConfigureAwait(true)).EnsureSuccess();
        await node.WriteFileAsync("/var/lib/rollbackmesh-agent/quarantine/db-20250101/etcd/member/snap", "etcd data").ConfigureAwait(true);

        var purge = (await node.ExecAsync("dpkg", "-P", "rollbackmesh-agent").ConfigureAwait(true)).EnsureSuccess();

        Assert.Equal("etcd data", await node.ReadFileAsync("/var/lib/rollbackmesh-agent/quarantine/db-20250101/etcd/member/snap").ConfigureAwait(true));
        Assert.Contains("quarantine still holds", purge.StandardError, StringComparison.Ordinal);
        Assert.False(await node.ExistsAsync(Config).ConfigureAwait(true));
    }

    private static async Task<string> StatusAsync(NspawnContainer node) =>
        (await node.ExecAsync("dpkg-query", "-W", "-f=${Status} ${Version}", "rollbackmesh-agent").ConfigureAwait(true)).StandardOutput.Trim();
}
