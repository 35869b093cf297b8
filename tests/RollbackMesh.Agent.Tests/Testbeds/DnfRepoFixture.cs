namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>
/// Builds stand-in calico-common and calico-felix RPMs (3.1.0-1 and 2.6.5-1; felix requires the exact common
/// version) with rpmbuild and a createrepo_c repository once per test class; <see cref="NewRoot"/> gives each
/// test a dnf --installroot with 3.1.0 installed.
/// </summary>
public sealed class DnfRepoFixture : IDisposable
{
    private readonly TempRoot _root = new("rm-dnf-");

    public DnfRepoFixture()
    {
        Repo = _root.Dir("repo");
        foreach (var version in new[] { "3.1.0", "2.6.5" })
        {
            Build("calico-common", version, null);
            Build("calico-felix", version, $"calico-common = {version}-1");
        }

        Sh.Run("/usr/bin/createrepo_c", "-q", Repo);
    }

    public string Repo { get; }

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
        Sh.Run("/usr/bin/dnf", "-y", "-q", $"--installroot={root}", "--releasever=7", "-c", config,
            "install", "calico-common-3.1.0", "calico-felix-3.1.0");
        return (config, root);
    }

    private void Build(string name, string version, string? requires)
    {
        var top = _root.Dir($"rpmbuild-{name}-{version}");
        var spec = Path.Combine(top, $"{name}.spec");
        File.WriteAllText(spec, $$"""
            Name: {{name}}
            Version: {{version}}
            Release: 1
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
            File.Copy(rpm, Path.Combine(Repo, Path.GetFileName(rpm)));
        }
    }

    public void Dispose() => _root.Dispose();
}
