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
    private AgentHarness Node(params (string Id, string BaseUrl)[] repos) => Node(yum3: false, repos);

    /// <summary>
    /// As <see cref="Node(ValueTuple{string, string}[])"/>; with <paramref name="yum3"/> the node has no dnf and its yum is
    /// the yum 3 stand-in (tests/testbeds/packages/yum3-standin.py), as on CentOS 7.
    /// </summary>
    private AgentHarness Node(bool yum3, params (string Id, string BaseUrl)[] repos)
    {
        _root = Directory.CreateDirectory(Path.Combine(_parent.Path, "dnfroot")).FullName;
        var config = Path.Combine(_parent.Path, "dnf.conf");
        WriteConfig(config, [("calico-3.1", _repo.SeriesRepo("3.1"))]);
        Sh.Run("/usr/bin/dnf", ["-y", "-q", $"--installroot={_root}", "--releasever=7", "-c", config, "install", "calico-common-3.1.0", "calico-control-2.0.0"], null);
        WriteConfig(config, repos);
        var standIn = Path.Combine(AppContext.BaseDirectory, "Testbeds", "yum3-standin.py");
        File.SetUnixFileMode(standIn, File.GetUnixFileMode(standIn) | UnixFileMode.UserExecute);
        _h = new AgentHarness(o => o with
        {
            Packages = o.Packages with
            {
                InstallRoot = _root, ReleaseVersion = "7", DnfConfigFile = config,
                Dnf = yum3 ? Path.Combine(_parent.Path, "no-dnf-on-el7") : o.Packages.Dnf, Yum = standIn,
            },
        });
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

    private static RollbackMesh.V1.Action Downgrade(params string[] packages) => Pinned([], packages);

    private static RollbackMesh.V1.Action Pinned(string[] pins, params string[] packages)
    {
        var step = new PackageDowngrade { Manager = PackageManager.Yum, VersionSeries = "2.6" };
        step.Packages.AddRange(packages);
        step.Pins.AddRange(pins);
        return new RollbackMesh.V1.Action { PackageDowngrade = step };
    }

    [Fact]
    public async Task ExecuteAsync_Yum3StandInNoDnf_SeriesFromYumListAndEpochLeftToRpm()
    {
        var h = Node(yum3: true, ("calico-3.1", _repo.SeriesRepo("3.1")), ("calico-2.6", _repo.SeriesRepo("2.6")));
        var action = h.Build(Downgrade("calico-common", "calico-control"));
        var description = await action.DescribeAsync(h.Context(), default);

        // yum 3 takes an epoch only with an arch: name-ver-rel, and rpm -q checks the epoch afterwards.
        Assert.Contains("yum3-standin.py -y", description, StringComparison.Ordinal);
        Assert.EndsWith("downgrade calico-common-2.6.5-1 calico-control-1.1.2-1", description, StringComparison.Ordinal);
        await action.ExecuteAsync(h.Context(), default);
        Assert.Equal("0:2.6.5-1", Installed("calico-common"));
        Assert.Equal("1:1.1.2-1", Installed("calico-control"));
        Assert.True(await action.VerifyAsync(h.Context(), default));
    }

    [Fact]
    public async Task ExecuteAsync_Yum3StandInDocumentPins_MappedToYum3SpecsAndVerified()
    {
        var h = Node(yum3: true, ("calico", _repo.SeriesRepo("2.6")));
        var action = h.Build(Pinned(["calico-control=1:1.1.2", "calico-common=2.6.5"], "calico-control", "calico-common"));
        Assert.EndsWith("downgrade calico-control-1.1.2 calico-common-2.6.5", await action.DescribeAsync(h.Context(), default), StringComparison.Ordinal);
        await action.ExecuteAsync(h.Context(), default);
        Assert.Equal("1:1.1.2-1", Installed("calico-control"));
        Assert.Equal("0:2.6.5-1", Installed("calico-common"));
    }

    [Fact]
    public async Task ExecuteAsync_RealDnfDocumentPins_EpochKeptInDnfSpec()
    {
        var h = Node(("calico", _repo.SeriesRepo("2.6")));
        var action = h.Build(Pinned(["calico-control=1:1.1.2"], "calico-control"));
        Assert.EndsWith("downgrade calico-control-1:1.1.2", await action.DescribeAsync(h.Context(), default), StringComparison.Ordinal);
        await action.ExecuteAsync(h.Context(), default);
        Assert.Equal("1:1.1.2-1", Installed("calico-control"));
    }

    [Theory]
    [InlineData("calico-control=x:1.1.2", "the epoch before ':' must be digits")]
    [InlineData("calico-control", "is not name=[epoch:]version")]
    [InlineData("calico-control=1:1.1 2", "is not a valid version")]
    [InlineData("calico-felix=2.6.5", "pins names 'calico-felix', which is not in the step's package list")]
    [InlineData("calico-control=1:1.1.2;rm", "is not a valid version")]
    public void Create_BadPin_RefusedNamingIt(string pin, string expected)
    {
        var h = Node(("calico", _repo.SeriesRepo("2.6")));
        var ex = Assert.Throws<ActionValidationException>(() => h.Build(Pinned([pin], "calico-control")));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
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
