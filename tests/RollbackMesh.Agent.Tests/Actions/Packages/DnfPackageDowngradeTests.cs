using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Packages;

/// <summary>Real dnf (--installroot) and rpm (--root); the host's rpm database is never touched.</summary>
public sealed class DnfPackageDowngradeTests : IClassFixture<DnfRepoFixture>, IDisposable
{
    private readonly AgentHarness _h;
    private readonly string _root;
    private readonly string _parent;

    public DnfPackageDowngradeTests(DnfRepoFixture repo)
    {
        _parent = Path.Combine(Path.GetTempPath(), "rm-dnfroot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_parent);
        var (config, root) = repo.NewRoot(_parent);
        _root = root;
        _h = new AgentHarness(o => o with { Packages = o.Packages with { InstallRoot = root, ReleaseVersion = "7", DnfConfigFile = config } });
    }

    private static RollbackMesh.V1.Action Downgrade(string series, IDictionary<string, string>? exact = null)
    {
        var step = new PackageDowngrade { Manager = PackageManager.Yum, VersionSeries = series };
        step.Packages.AddRange(["calico-common", "calico-felix"]);
        if (exact is not null)
        {
            step.ExactVersions.Add(exact);
        }

        return new RollbackMesh.V1.Action { PackageDowngrade = step };
    }

    private string Installed(string package) => Sh.Run("/usr/bin/rpm", $"--root={_root}", "-q", "--qf", "%{VERSION}-%{RELEASE}", package);

    [Fact]
    public async Task ExecuteAsync_CleanThenSeries26_DowngradedInOneTransactionAndVerifiedByRpm()
    {
        await _h.Build(new RollbackMesh.V1.Action { PackageClean = new PackageCleanCache { Manager = PackageManager.Yum } }).ExecuteAsync(_h.Context(), default);
        var action = _h.Build(Downgrade("2.6"));
        Assert.EndsWith("downgrade calico-common-2.6.5-1 calico-felix-2.6.5-1", await action.DescribeAsync(_h.Context(), default), StringComparison.Ordinal);
        await action.ExecuteAsync(_h.Context(), default);
        Assert.Equal("2.6.5-1", Installed("calico-common"));
        Assert.Equal("2.6.5-1", Installed("calico-felix"));
        Assert.True(await action.VerifyAsync(_h.Context(), default));
        Assert.True(await action.IsAlreadyDoneAsync(_h.Context(), default));
    }

    [Fact]
    public async Task ExecuteAsync_DnfNothingToDoExitZero_FailsOnRpmVerification()
    {
        // "Downgrade" to the installed 3.1.0: dnf prints "Nothing to do" and exits 0 — only rpm -q tells the truth
        // when the target differs, so ask for a version dnf cannot reach by downgrading from 2.6.5.
        await _h.Build(Downgrade("2.6")).ExecuteAsync(_h.Context(), default);
        var upward = _h.Build(Downgrade("3.1"));
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => upward.ExecuteAsync(_h.Context(), default));
        Assert.Contains("exited 0 but: calico-common is 2.6.5-1, expected 3.1.0-1", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _h.Dispose();
        Directory.Delete(_parent, recursive: true);
    }
}
