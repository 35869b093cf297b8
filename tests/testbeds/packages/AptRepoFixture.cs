namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>
/// Builds stand-in Calico .debs (3.1.0 and 2.6.5~trusty; calico-felix depends on the exact calico-common version)
/// with dpkg-deb once per test class, into one flat repository per series (<see cref="SeriesRepo"/>) and a combined
/// index over both (<see cref="Repo"/>); <see cref="NewRoot(string)"/> gives each test an isolated apt/dpkg root
/// (APT_CONFIG) with 3.1.0 installed. Shared (linked, not copied) by the agent tests and the functional tests.
/// </summary>
public sealed class AptRepoFixture : IDisposable
{
    public static readonly string[] Versions = ["3.1.0", "2.6.5~trusty"];
    private readonly TempRoot _root = new("rm-apt-");

    public AptRepoFixture()
        : this(["calico-common", "calico-felix"])
    {
    }

    /// <summary>Builds every package of <paramref name="packages"/> in both versions (the OpenStack runbooks name more than two).</summary>
    internal AptRepoFixture(IReadOnlyList<string> packages)
    {
        Repo = _root.Dir("repo");
        foreach (var version in Versions)
        {
            var series = _root.Dir($"repo/{Series(version)}");
            foreach (var package in packages)
            {
                Build(series, package, version, package == "calico-felix" ? $"calico-common (= {version})" : null);
            }

            Index(series);
        }

        // apt-ftparchive walks subdirectories: the top index lists both series (Filename: ./3.1/...).
        Index(Repo);
    }

    /// <summary>The flat repository holding both versions.</summary>
    public string Repo { get; }

    /// <summary>The flat repository holding one series only ("3.1" or "2.6").</summary>
    public string SeriesRepo(string series) => Path.Combine(Repo, series);

    /// <summary>
    /// Builds one more flat repository holding <paramref name="packages"/> (name, version) in a fresh directory whose
    /// last component is <paramref name="directory"/> (e.g. "calico-2.6", which apt-cache madison then shows in its
    /// repository column as the Calico PPA's URL does); returns its path.
    /// </summary>
    internal string BuildRepo(string directory, IReadOnlyList<(string Name, string Version)> packages)
    {
        var repo = _root.Dir($"extra/{Guid.NewGuid():N}/{directory}");
        foreach (var (name, version) in packages)
        {
            Build(repo, name, version, null);
        }

        Index(repo);
        return repo;
    }

    /// <summary>The sources.list line for a flat repository at <paramref name="directory"/> (a host or a container path).</summary>
    public static string SourceLine(string directory) => $"deb [trusted=yes] file:{directory} ./\n";

    /// <summary>A fresh root under <paramref name="parent"/>; returns the APT_CONFIG path and the root.</summary>
    public (string AptConfig, string Root) NewRoot(string parent) =>
        NewRoot(parent, new Dictionary<string, string> { ["sources.list"] = SourceLine(Repo) }, ["calico-common", "calico-felix"]);

    /// <summary>
    /// A fresh root under <paramref name="parent"/> whose apt reads <paramref name="sourceLists"/> (paths relative to
    /// ROOT/etc/apt, e.g. "sources.list.d/x.list", and their text), with <paramref name="install"/> installed at 3.1.0 (or at the version an entry names, "python-etcd=0.4.5").
    /// </summary>
    internal (string AptConfig, string Root) NewRoot(string parent, IReadOnlyDictionary<string, string> sourceLists, IReadOnlyList<string> install)
    {
        var root = Path.Combine(parent, "aptroot");
        foreach (var dir in new[] { "var/lib/dpkg/updates", "var/lib/dpkg/info", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial",
            "etc/apt/sources.list.d", "etc/apt/apt.conf.d", "etc/apt/preferences.d", "var/log" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), string.Empty);
        foreach (var (path, text) in sourceLists)
        {
            File.WriteAllText(Path.Combine(root, "etc/apt", path), text);
        }

        var config = Path.Combine(parent, "apt.conf");
        File.WriteAllText(config, $$"""
            Dir "{{root}}/";
            Dir::State::status "{{root}}/var/lib/dpkg/status";
            DPkg::Options {"--root={{root}}";"--log={{root}}/var/log/dpkg.log";};
            APT::Sandbox::User "root";

            """);
        var env = new Dictionary<string, string> { ["APT_CONFIG"] = config };
        Sh.Run("/usr/bin/apt-get", ["update", "-q"], env);
        Sh.Run("/usr/bin/apt-get", ["install", "-y", "-q", .. install.Select(p => p.Contains('=', StringComparison.Ordinal) ? p : $"{p}=3.1.0")], env);
        return (config, root);
    }

    /// <summary>"3.1" for 3.1.0, "2.6" for 2.6.5~trusty.</summary>
    public static string Series(string version) => string.Join('.', version.Split('.').Take(2));

    private static void Index(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "Packages"), Sh.Run("/usr/bin/apt-ftparchive", ["packages", "."], null, directory));
        File.WriteAllText(Path.Combine(directory, "Release"), Sh.Run("/usr/bin/apt-ftparchive", ["release", "."], null, directory));
    }

    private void Build(string repo, string name, string version, string? depends)
    {
        // File names drop the epoch (1:1.1.2 -> 1.1.2) as Debian archives do.
        var fileVersion = version[(version.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var dir = _root.Dir($"build/{name}-{fileVersion}");
        Directory.CreateDirectory(Path.Combine(dir, "DEBIAN"));
        var upstream = fileVersion.Split('~')[0];
        Sh.WriteScript(Path.Combine(dir, $"usr/bin/{name}"), $"echo \"{name} v{upstream}\"\n");
        File.WriteAllText(Path.Combine(dir, "DEBIAN/control"), $"""
            Package: {name}
            Version: {version}
            Architecture: all
            Maintainer: RollbackMesh tests <tests@example.invalid>
            {(depends is null ? string.Empty : $"Depends: {depends}\n")}Description: stand-in {name} for downgrade tests

            """.Replace("\n\n", "\n", StringComparison.Ordinal));
        Sh.Run("/usr/bin/dpkg-deb", "--root-owner-group", "--build", dir, Path.Combine(repo, $"{name}_{fileVersion}_all.deb"));
    }

    public void Dispose() => _root.Dispose();
}
