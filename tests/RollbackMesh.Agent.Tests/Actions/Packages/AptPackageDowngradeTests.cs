using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Packages;

/// <summary>Real apt-get/apt-cache/dpkg against an isolated root (APT_CONFIG); the host's dpkg database is never touched.</summary>
public sealed class AptPackageDowngradeTests : IClassFixture<AptRepoFixture>, IDisposable
{
    private readonly AgentHarness _h;
    private readonly string _root;

    public AptPackageDowngradeTests(AptRepoFixture repo)
    {
        var parent = Path.Combine(Path.GetTempPath(), "rm-aptroot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(parent);
        var (config, root) = repo.NewRoot(parent);
        _root = root;
        _h = new AgentHarness(o => o with
        {
            Packages = o.Packages with { AptConfigFile = config, DpkgAdminDirectory = Path.Combine(root, "var/lib/dpkg") },
            Tools = o.Tools with { VersionTools = new Dictionary<string, string> { ["calico-felix"] = Path.Combine(root, "usr/bin/calico-felix") } },
        });
        Parent = parent;
    }

    private string Parent { get; }

    private static RollbackMesh.V1.Action Downgrade(string series = "2.6", params string[] packages)
    {
        var step = new PackageDowngrade { Manager = PackageManager.Apt, VersionSeries = series };
        step.Packages.AddRange(packages.Length > 0 ? packages : ["calico-common", "calico-felix"]);
        return new RollbackMesh.V1.Action { PackageDowngrade = step };
    }

    private string Installed(string package) =>
        Sh.Run("/usr/bin/dpkg-query", $"--admindir={_root}/var/lib/dpkg", "-W", "-f=${Version}", package);

    [Fact]
    public async Task DescribeAsync_Series26_OneTransactionWithMadisonVersions()
    {
        var description = await _h.Build(Downgrade()).DescribeAsync(_h.Context(), default);
        Assert.EndsWith("apt-get install --reinstall --allow-downgrades -y 'calico-common=2.6.5~trusty' 'calico-felix=2.6.5~trusty'", description, StringComparison.Ordinal);

        // The flat test repository is not named calico-2.6: the version-prefix fallback is used and said.
        Assert.StartsWith("note: calico-common: no apt-cache madison row from a calico-2.6 repository", description, StringComparison.Ordinal);
        Assert.Equal("3.1.0", Installed("calico-felix"));
    }

    [Fact]
    public async Task RunAsync_Series26_BothDowngradedVerifiedThenRepeatSkipped()
    {
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var result = await runner.RunAsync(new StepCommand { RunId = "r", StepId = "downgrade", Action = Downgrade() }, _ => { }, default);
        Assert.True(result.State == StepState.Succeeded, result.Error);
        Assert.True(result.Verified);
        Assert.Equal("2.6.5~trusty", Installed("calico-common"));
        Assert.Equal("2.6.5~trusty", Installed("calico-felix"));

        var again = await runner.RunAsync(new StepCommand { RunId = "r2", StepId = "downgrade", Action = Downgrade() }, _ => { }, default);
        Assert.Equal(StepState.Skipped, again.State);
        Assert.True(again.AlreadyDone);

        var version = _h.Build(new RollbackMesh.V1.Action { VersionCheck = new VersionCheck { Tool = "calico-felix", ExpectedPattern = @"v2\.6\.\d+" } });
        Assert.Equal("calico-felix version v2.6.5", await version.ExecuteAsync(_h.Context(), default));
    }

    [Fact]
    public async Task RunAsync_StandInApt10_DowngradesWithForceYesNotAllowDowngrades()
    {
        var log = Path.Combine(Parent, "apt-get.log");
        var aptGet = StandIns.Apt10(Path.Combine(Parent, "apt-get-1.0"), log);
        using var h = new AgentHarness(o => o with { Packages = _h.Options.Packages with { AptGet = aptGet }, Tools = _h.Options.Tools });
        var (runner, journal) = h.Runner();
        using var _ = journal;

        var result = await runner.RunAsync(new StepCommand { RunId = "r", StepId = "downgrade", Action = Downgrade() }, _ => { }, default);

        Assert.True(result.State == StepState.Succeeded, result.Error);
        Assert.Equal("2.6.5~trusty", Installed("calico-felix"));
        Assert.Contains(StandIns.Calls(log), c => c.StartsWith("install --reinstall --force-yes -y ", StringComparison.Ordinal));
        Assert.DoesNotContain(StandIns.Calls(log), c => c.Contains("--allow-downgrades", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_SeriesNotInRepository_FailsNamingAvailableVersions()
    {
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => _h.Build(Downgrade("2.5")).ExecuteAsync(_h.Context(), default));
        Assert.Contains("no 2.5 version of calico-common", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2.6.5~trusty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PinForPackageNotInList_Refused()
    {
        var action = Downgrade();
        action.PackageDowngrade.ExactVersions.Add("openssh-server", "1:1.0");
        var ex = Assert.Throws<ActionValidationException>(() => _h.Build(action));
        Assert.Contains("openssh-server", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("calico-felix;reboot")]
    [InlineData("-oDir=/")]
    [InlineData("calico felix")]
    public void Create_BadPackageName_Refused(string name)
    {
        var ex = Assert.Throws<ActionValidationException>(() => _h.Build(Downgrade("2.6", name)));
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionCheck_BeforeDowngrade_FailsWithPrintedVersion()
    {
        var version = _h.Build(new RollbackMesh.V1.Action { VersionCheck = new VersionCheck { Tool = "calico-felix", ExpectedPattern = @"v2\.6\.\d+" } });
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => version.ExecuteAsync(_h.Context(), default));
        Assert.Contains("calico-felix v3.1.0", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _h.Dispose();
        Directory.Delete(Parent, recursive: true);
    }
}
