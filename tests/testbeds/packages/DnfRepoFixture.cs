namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>
/// Builds stand-in Calico RPMs (3.1.0-1 and 2.6.5-1; calico-felix requires the exact calico-common version) with
/// rpmbuild once per test class, into one createrepo_c repository per series (<see cref="SeriesRepo"/>: calico-3.1,
/// calico-2.6, named like the upstream repository paths) and one over both (<see cref="Repo"/>);
/// <see cref="NewRoot(string)"/> gives each test a dnf --installroot with 3.1.0 installed. Shared (linked, not
/// copied) by the agent tests and the functional tests.
/// </summary>
public sealed class DnfRepoFixture : IDisposable
{
    private static readonly string[] Versions = ["3.1.0", "2.6.5"];
    private readonly TempRoot _root = new("rm-dnf-");

    public DnfRepoFixture()
        : this(["calico-common", "calico-felix"])
    {
    }

    /// <summary>Builds every package of <paramref name="packages"/> in both versions (the OpenStack runbooks name more than two).</summary>
    internal DnfRepoFixture(IReadOnlyList<string> packages)
    {
        Repo = _root.Dir("repo");
        foreach (var version in Versions)
        {
            var series = _root.Dir($"repo/calico-{AptRepoFixture.Series(version)}");
            foreach (var package in packages)
            {
                Build(series, package, version, package == "calico-felix" ? $"calico-common = {version}-1" : null);
            }

            Sh.Run("/usr/bin/createrepo_c", "-q", series);
        }

        // createrepo_c walks subdirectories: the top repository lists both series.
        Sh.Run("/usr/bin/createrepo_c", "-q", Repo);
    }

    /// <summary>
    /// Adds <paramref name="name"/> <paramref name="epoch"/>:<paramref name="version"/>-1 to the calico-<paramref name="series"/>
    /// repository (and the top one), e.g. calico-control 1:1.1.2 in calico-2.6; adding it again does nothing.
    /// </summary>
    internal void AddVersion(string series, string name, string version, int epoch = 0)
    {
        lock (_root)
        {
            var repo = SeriesRepo(series);
            if (Directory.GetFiles(repo, $"{name}-{version}-1.*.rpm").Length > 0)
            {
                return;
            }

            Build(repo, name, version, null, epoch);
            Sh.Run("/usr/bin/createrepo_c", "-q", repo);
            Sh.Run("/usr/bin/createrepo_c", "-q", Repo);
        }
    }

    /// <summary>The repository holding both versions.</summary>
    public string Repo { get; }

    /// <summary>The repository of one series ("3.1" or "2.6"), a directory named calico-SERIES.</summary>
    public string SeriesRepo(string series) => Path.Combine(Repo, "calico-" + series);

    /// <summary>A fresh installroot under <paramref name="parent"/> with a dnf.conf pointing at the repository.</summary>
    public (string Config, string Root) NewRoot(string parent)
    {
        var root = Directory.CreateDirectory(Path.Combine(parent, "dnfroot")).FullName;
        var config = Path.Combine(parent, "dnf.conf");
        File.WriteAllText(config, $"""
            [main]
            gpgcheck=0
            reposdir={parent}/no-repos.d
            cachedir={root}/var/cache/dnf
            install_weak_deps=False

            [calico]
            name=calico stand-in
            baseurl=file://{Repo}
            enabled=1
            gpgcheck=0

            """);
        Install(root, config, ["calico-common", "calico-felix"]);
        return (config, root);
    }

    /// <summary>Installs <paramref name="packages"/> at 3.1.0 into <paramref name="root"/> (dnf -c <paramref name="config"/> when given; else the root's own repository files).</summary>
    internal static void Install(string root, string? config, IReadOnlyList<string> packages) =>
        Sh.Run("/usr/bin/dnf", ["-y", "-q", $"--installroot={root}", "--releasever=7", .. config is null ? Array.Empty<string>() : ["-c", config],
            "install", .. packages.Select(p => $"{p}-3.1.0")], null);

    private void Build(string repo, string name, string version, string? requires, int epoch = 0)
    {
        var top = _root.Dir($"rpmbuild-{name}-{version}");
        var spec = Path.Combine(top, $"{name}.spec");
        File.WriteAllText(spec, $$"""
            Name: {{name}}
            Version: {{version}}
            Release: 1
            {{(epoch == 0 ? string.Empty : $"Epoch: {epoch}")}}
            Summary: stand-in {{name}} for downgrade tests
            License: MIT
            BuildArch: noarch
            AutoReqProv: no
            {{(requires is null ? string.Empty : $"Requires: {requires}")}}

            %description
            stand-in {{name}}

            %install
            mkdir -p %{buildroot}/usr/bin
            printf '#!/bin/sh\necho "{{name}} v{{version}}"\n' > %{buildroot}/usr/bin/{{name}}
            chmod 755 %{buildroot}/usr/bin/{{name}}

            %files
            /usr/bin/{{name}}

            """);
        Sh.Run("/usr/bin/rpmbuild", "-bb", "--quiet", "--define", $"_topdir {top}", spec);
        foreach (var rpm in Directory.GetFiles(Path.Combine(top, "RPMS"), "*.rpm", SearchOption.AllDirectories))
        {
            File.Copy(rpm, Path.Combine(repo, Path.GetFileName(rpm)));
        }
    }

    public void Dispose() => _root.Dispose();
}
