using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Packages;

/// <summary>
/// Real apt against two flat repositories laid out like the Calico PPAs (directories named calico-3.1 and calico-2.6):
/// the 2.6 series' python-etcd is 0.4.3+calico.1-1 and calico-control 1:1.1.2 — neither starts with 2.6 — so only
/// picking by the repository, as the documented `| grep calico-2.6` does, finds them.
/// </summary>
public sealed class AptSeriesRepositoryDowngradeTests : IClassFixture<AptRepoFixture>, IDisposable
{
    private readonly AptRepoFixture _repo;
    private readonly TempRoot _parent = new("rm-aptppa-");
    private AgentHarness? _h;
    private string _root = string.Empty;

    public AptSeriesRepositoryDowngradeTests(AptRepoFixture repo) => _repo = repo;

    private AgentHarness Node(IReadOnlyList<(string Name, string Version)> series31, IReadOnlyList<(string Name, string Version)> series26)
    {
        var ppa31 = _repo.BuildRepo("calico-3.1", series31);
        var ppa26 = _repo.BuildRepo("calico-2.6", series26);
        var (config, root) = _repo.NewRoot(_parent.Path, new Dictionary<string, string>
        {
            ["sources.list.d/calico-3.1.list"] = AptRepoFixture.SourceLine(ppa31),
            ["sources.list.d/calico-2.6.list"] = AptRepoFixture.SourceLine(ppa26),
        }, [.. series31.Select(p => $"{p.Name}={p.Version}")]);
        _root = root;
        _h = new AgentHarness(o => o with
        {
            Packages = o.Packages with { AptConfigFile = config, DpkgAdminDirectory = Path.Combine(root, "var/lib/dpkg") },
        });
        return _h;
    }

    private static RollbackMesh.V1.Action Downgrade(params string[] packages)
    {
        var step = new PackageDowngrade { Manager = PackageManager.Apt, VersionSeries = "2.6" };
        step.Packages.AddRange(packages);
        return new RollbackMesh.V1.Action { PackageDowngrade = step };
    }

    private string Installed(string package) =>
        Sh.Run("/usr/bin/dpkg-query", $"--admindir={_root}/var/lib/dpkg", "-W", "-f=${Version}", package);

    [Fact]
    public async Task RunAsync_VersionsNotStartingWithSeries_InstalledFromCalico26Repository()
    {
        var h = Node(
            [("python-etcd", "0.4.5"), ("calico-control", "1:2.0.0"), ("calico-common", "3.1.0")],
            [("python-etcd", "0.4.3+calico.1-1"), ("calico-control", "1:1.1.2"), ("calico-common", "2.6.5~trusty")]);
        Assert.Equal("0.4.5", Installed("python-etcd"));

        var description = await h.Build(Downgrade("python-etcd", "calico-control", "calico-common")).DescribeAsync(h.Context(), default);
        Assert.EndsWith("-y python-etcd=0.4.3+calico.1-1 calico-control=1:1.1.2 'calico-common=2.6.5~trusty'", description, StringComparison.Ordinal);
        Assert.DoesNotContain("note:", description, StringComparison.Ordinal);

        var (runner, journal) = h.Runner();
        using var _ = journal;
        var result = await runner.RunAsync(
            new StepCommand { RunId = "r", StepId = "downgrade", Action = Downgrade("python-etcd", "calico-control", "calico-common") }, _ => { }, default);
        Assert.True(result.State == StepState.Succeeded, result.Error);
        Assert.True(result.Verified);
        Assert.Equal("0.4.3+calico.1-1", Installed("python-etcd"));
        Assert.Equal("1:1.1.2", Installed("calico-control"));
        Assert.Equal("2.6.5~trusty", Installed("calico-common"));
    }

    [Fact]
    public async Task DescribeAsync_PackageMissingFromCalico26Repository_FailsShowingItsMadisonRows()
    {
        var h = Node([("python-etcd", "0.4.5"), ("calico-common", "3.1.0")], [("calico-common", "2.6.5~trusty")]);
        var ex = await Assert.ThrowsAsync<RollbackMesh.Agent.Actions.ActionFailedException>(
            () => h.Build(Downgrade("calico-common", "python-etcd")).DescribeAsync(h.Context(), default));
        Assert.Contains("no 2.6 version of python-etcd", ex.Message, StringComparison.Ordinal);
        Assert.Contains("python-etcd | 0.4.5 | file:", ex.Message, StringComparison.Ordinal);
        Assert.Equal("0.4.5", Installed("python-etcd"));
    }

    public void Dispose()
    {
        _h?.Dispose();
        _parent.Dispose();
    }
}
