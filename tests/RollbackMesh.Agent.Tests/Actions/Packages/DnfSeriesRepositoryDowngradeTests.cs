using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Packages;

/// <summary>
/// Real dnf (--installroot) against repositories laid out like the Calico yum repositories (calico-3.1, calico-2.6):
/// the 2.6 series' calico-control is 1:1.1.2 — it does not start with 2.6 — so only picking by the repository, as
/// `yum downgrade` after switching the repository file does, finds it.
/// </summary>
public sealed class DnfSeriesRepositoryDowngradeTests : IClassFixture<DnfRepoFixture>, IDisposable
{
    private readonly DnfRepoFixture _repo;
    private readonly TempRoot _parent = new("rm-dnfseries-");
    private AgentHarness? _h;
    private string _root = string.Empty;

    public DnfSeriesRepositoryDowngradeTests(DnfRepoFixture repo)
    {
        _repo = repo;
        _repo.AddVersion("3.1", "calico-control", "2.0.0", epoch: 1);
        _repo.AddVersion("2.6", "calico-control", "1.1.2", epoch: 1);
    }

    /// <summary>A root with calico-common 3.1.0 and calico-control 1:2.0.0 installed, then <paramref name="repos"/> (id, baseurl) as its only repositories.</summary>
    private AgentHarness Node(params (string Id, string BaseUrl)[] repos)
    {
        _root = Directory.CreateDirectory(Path.Combine(_parent.Path, "dnfroot")).FullName;
        var config = Path.Combine(_parent.Path, "dnf.conf");
        WriteConfig(config, [("calico-3.1", _repo.SeriesRepo("3.1"))]);
        Sh.Run("/usr/bin/dnf", ["-y", "-q", $"--installroot={_root}", "--releasever=7", "-c", config, "install", "calico-common-3.1.0", "calico-control-2.0.0"], null);
        WriteConfig(config, repos);
        _h = new AgentHarness(o => o with { Packages = o.Packages with { InstallRoot = _root, ReleaseVersion = "7", DnfConfigFile = config } });
        return _h;
    }

    private void WriteConfig(string config, IEnumerable<(string Id, string BaseUrl)> repos) =>
        File.WriteAllText(config, $"""
            [main]
            gpgcheck=0
            reposdir={_parent.Path}/no-repos.d
            cachedir={_root}/var/cache/dnf
            install_weak_deps=False

            {string.Concat(repos.Select(r => $"[{r.Id}]\nname={r.Id}\nbaseurl=file://{r.BaseUrl}\nenabled=1\ngpgcheck=0\n\n"))}
            """);

    private static RollbackMesh.V1.Action Downgrade(params string[] packages)
    {
        var step = new PackageDowngrade { Manager = PackageManager.Yum, VersionSeries = "2.6" };
        step.Packages.AddRange(packages);
        return new RollbackMesh.V1.Action { PackageDowngrade = step };
    }

    private string Installed(string package) => Sh.Run("/usr/bin/rpm", $"--root={_root}", "-q", "--qf", "%{EPOCHNUM}:%{VERSION}-%{RELEASE}", package);

    [Fact]
    public async Task ExecuteAsync_BothSeriesReposEnabled_PicksFromCalico26RepoIdAndVerifiesEpochWithRpm()
    {
        var h = Node(("calico-3.1", _repo.SeriesRepo("3.1")), ("calico-2.6", _repo.SeriesRepo("2.6")));
        var action = h.Build(Downgrade("calico-common", "calico-control"));
        var description = await action.DescribeAsync(h.Context(), default);
        Assert.EndsWith("downgrade calico-common-2.6.5-1 calico-control-1:1.1.2-1", description, StringComparison.Ordinal);
        Assert.DoesNotContain("note:", description, StringComparison.Ordinal);

        await action.ExecuteAsync(h.Context(), default);
        Assert.Equal("0:2.6.5-1", Installed("calico-common"));
        Assert.Equal("1:1.1.2-1", Installed("calico-control"));
        Assert.True(await action.VerifyAsync(h.Context(), default));
    }

    [Fact]
    public async Task ExecuteAsync_RepoFileSwitchedToCalico26Baseurl_PicksByBaseurl()
    {
        // The CentOS procedure keeps the repository id and points its baseurl at calico-2.6.
        var h = Node(("calico", _repo.SeriesRepo("2.6")));
        var action = h.Build(Downgrade("calico-control", "calico-common"));
        await action.ExecuteAsync(h.Context(), default);
        Assert.Equal("1:1.1.2-1", Installed("calico-control"));
        Assert.Equal("0:2.6.5-1", Installed("calico-common"));
    }

    [Fact]
    public async Task DescribeAsync_NoSeriesRepository_FallsBackToPrefixWithNoteAndNamesUnmatchedPackage()
    {
        var h = Node(("calico", _repo.Repo));
        var description = await h.Build(Downgrade("calico-common")).DescribeAsync(h.Context(), default);
        Assert.StartsWith("note: calico-common: no dnf repository with calico-2.6 in its id or baseurl offers it", description, StringComparison.Ordinal);
        Assert.EndsWith("downgrade calico-common-2.6.5-1", description, StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => h.Build(Downgrade("calico-common", "calico-control")).DescribeAsync(h.Context(), default));
        Assert.Contains("no 2.6 version of calico-control", ex.Message, StringComparison.Ordinal);
        Assert.Contains("calico-control 1:1.1.2-1 calico", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _h?.Dispose();
        _parent.Dispose();
    }
}
