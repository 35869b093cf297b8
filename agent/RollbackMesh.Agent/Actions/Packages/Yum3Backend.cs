using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>
/// yum 3 (CentOS/RHEL 7, the platform of the Calico 2.6/3.1 OpenStack documents), where there is no dnf. It differs
/// from dnf in what it accepts, so it is its own backend:
/// - no `repoquery` subcommand (that is yum-utils): versions come from `yum --showduplicates list available PKG`,
///   rows "name.arch [epoch:]version-release repoid", and the series repositories from `yum -v repolist enabled`
///   (ids printed as "calico-2.6/7/x86_64", listed as "calico-2.6");
/// - package specs (yum(8), SPECIFYING PACKAGE NAMES): name, name.arch, name-ver, name-ver-rel, name-ver-rel.arch,
///   name-epoch:ver-rel.arch, epoch:name-ver-rel.arch: an epoch is accepted only together with an arch, so a pin
///   1:1.1.2 is asked for as name-1.1.2 (name-ver matches every epoch) and the epoch is checked afterwards with rpm;
/// - `yum downgrade` to a version that is not lower prints "Only Upgrade available on package" and "Nothing to do"
///   and exits 0, like dnf: the installed versions are verified with `rpm -q`, never the exit code.
/// </summary>
internal sealed class Yum3Backend : IPackageBackend
{
    private readonly PackageManagerOptions _options;

    /// <summary>Creates the backend.</summary>
    public Yum3Backend(PackageManagerOptions options) => _options = options;

    /// <inheritdoc />
    public ToolInvocation CleanCache() => Yum(["clean", "all"]);

    /// <inheritdoc />
    public async Task<SeriesVersion> SeriesVersionAsync(ActionContext context, string package, string series, CancellationToken cancellationToken)
    {
        var repolist = await context.QueryAsync(Yum(["-v", "repolist", "enabled"]), cancellationToken).ConfigureAwait(false);
        if (!repolist.Succeeded)
        {
            throw new ActionFailedException($"yum repolist exited {repolist.ExitCode}: {repolist.CombinedOutput}");
        }

        var rows = await context.QueryAsync(Yum(["-q", "--showduplicates", "list", "available", package]), cancellationToken).ConfigureAwait(false);

        // yum 3 exits 1 ("Error: No matching Packages to list") when no repository offers the package.
        var parsed = rows.Succeeded ? ParseList(rows.StandardOutput) : [];
        var ids = DnfSeriesSelector.SeriesRepoIds(repolist.StandardOutput, series)
            .Select(id => id.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        return DnfSeriesSelector.Select(parsed, ids, package, series);
    }

    /// <inheritdoc />
    public Task<ToolInvocation> TransactionAsync(ActionContext context, IReadOnlyList<KeyValuePair<string, string>> targets, CancellationToken cancellationToken) =>
        Task.FromResult(Yum(["downgrade", .. targets.Select(t => Spec(t.Key, t.Value))]));

    /// <summary>The yum 3 spec for name at [epoch:]version[-release]: name-version[-release], the epoch left to the rpm check.</summary>
    public static string Spec(string package, string version)
    {
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        return $"{package}-{(colon >= 0 ? version[(colon + 1)..] : version)}";
    }

    /// <inheritdoc />
    public Task<string?> InstalledVersionAsync(ActionContext context, string package, CancellationToken cancellationToken) =>
        RpmQuery.InstalledVersionAsync(context, _options, package, cancellationToken);

    /// <summary>
    /// The rows of `yum -q --showduplicates list available` output: "name.arch [E:]V-R repoid", where yum wraps a long
    /// name.arch onto its own line and the section header reads "Available Packages".
    /// </summary>
    public static IReadOnlyList<DnfPackageRow> ParseList(string output)
    {
        var tokens = output.Split('\n')
            .Where(line => line.Trim() is not ("Available Packages" or "Installed Packages" or ""))
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToArray();
        var lines = new List<string>();
        for (var i = 0; i + 2 < tokens.Length; i += 3)
        {
            var nameArch = tokens[i];
            var dot = nameArch.LastIndexOf('.');
            var evr = tokens[i + 1].Contains(':', StringComparison.Ordinal) ? tokens[i + 1] : "0:" + tokens[i + 1];
            lines.Add($"{(dot > 0 ? nameArch[..dot] : nameArch)} {evr} {tokens[i + 2]}");
        }

        return DnfSeriesSelector.Parse(string.Join('\n', lines));
    }

    private ToolInvocation Yum(IReadOnlyList<string> args)
    {
        List<string> all = ["-y"];
        if (_options.InstallRoot is { } root)
        {
            all.Add($"--installroot={root}");
        }

        if (_options.ReleaseVersion is { } release)
        {
            all.Add($"--releasever={release}");
        }

        if (_options.DnfConfigFile is { } config)
        {
            all.AddRange(["-c", config]);
        }

        return new ToolInvocation { FileName = _options.Yum, Arguments = [.. all, .. args] };
    }
}
