namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>
/// Builds stand-in calico-common and calico-felix .debs (3.1.0 and 2.6.5~trusty; felix depends on the exact
/// common version) with dpkg-deb into a flat repository once per test class; <see cref="NewRoot"/> gives each
/// test an isolated apt/dpkg root (APT_CONFIG) with 3.1.0 installed.
/// </summary>
public sealed class AptRepoFixture : IDisposable
{
    public static readonly string[] Versions = ["3.1.0", "2.6.5~trusty"];
    private readonly TempRoot _root = new("rm-apt-");

    public AptRepoFixture()
    {
        Repo = _root.Dir("repo");
        foreach (var version in Versions)
        {
            Build("calico-common", version, null);
            Build("calico-felix", version, $"calico-common (= {version})");
        }

        File.WriteAllText(Path.Combine(Repo, "Packages"), Sh.Run("/usr/bin/apt-ftparchive", ["packages", "."], null, Repo));
        File.WriteAllText(Path.Combine(Repo, "Release"), Sh.Run("/usr/bin/apt-ftparchive", ["release", "."], null, Repo));
    }

    public string Repo { get; }

    /// <summary>A fresh root under <paramref name="parent"/>; returns the APT_CONFIG path and the root.</summary>
    public (string AptConfig, string Root) NewRoot(string parent)
    {
        var root = Path.Combine(parent, "aptroot");
        foreach (var dir in new[] { "var/lib/dpkg/updates", "var/lib/dpkg/info", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial",
            "etc/apt/sources.list.d", "etc/apt/apt.conf.d", "etc/apt/preferences.d", "var/log" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), string.Empty);
        File.WriteAllText(Path.Combine(root, "etc/apt/sources.list"), $"deb [trusted=yes] file:{Repo} ./\n");
        var config = Path.Combine(parent, "apt.conf");
        File.WriteAllText(config, $$"""
            Dir "{{root}}/";
            Dir::State::status "{{root}}/var/lib/dpkg/status";
            DPkg::Options {"--root={{root}}";"--log={{root}}/var/log/dpkg.log";};
            APT::Sandbox::User "root";

            """);
        var env = new Dictionary<string, string> { ["APT_CONFIG"] = config };
        Sh.Run("/usr/bin/apt-get", ["update", "-q"], env);
        Sh.Run("/usr/bin/apt-get", ["install", "-y", "-q", "calico-common=3.1.0", "calico-felix=3.1.0"], env);
        return (config, root);
    }

    private void Build(string name, string version, string? depends)
    {
        var dir = _root.Dir($"build/{name}-{version}");
        Directory.CreateDirectory(Path.Combine(dir, "DEBIAN"));
        var upstream = version.Split('~')[0];
        Sh.WriteScript(Path.Combine(dir, $"usr/bin/{name}"), $"echo \"{name} v{upstream}\"\n");
        File.WriteAllText(Path.Combine(dir, "DEBIAN/control"), $"""
            Package: {name}
            Version: {version}
            Architecture: all
            Maintainer: RollbackMesh tests <tests@example.invalid>
            {(depends is null ? string.Empty : $"Depends: {depends}\n")}Description: stand-in {name} for downgrade tests

            """.Replace("\n\n", "\n", StringComparison.Ordinal));
        Sh.Run("/usr/bin/dpkg-deb", "--root-owner-group", "--build", dir, Path.Combine(Repo, $"{name}_{version}_all.deb"));
    }

    public void Dispose() => _root.Dispose();
}
