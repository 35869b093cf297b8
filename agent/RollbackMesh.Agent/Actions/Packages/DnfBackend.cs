using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>
/// yum/dnf: versions from `dnf repoquery`, one `dnf downgrade` transaction, verified with `rpm -q` because
/// dnf exits 0 with "Nothing to do" when there is nothing lower to go to.
/// </summary>
internal sealed class DnfBackend : IPackageBackend
{
    private readonly PackageManagerOptions _options;

    /// <summary>Creates the backend.</summary>
    public DnfBackend(PackageManagerOptions options) => _options = options;

    /// <inheritdoc />
    public ToolInvocation CleanCache() => Dnf(["clean", "all"]);

    /// <inheritdoc />
    public async Task<SeriesVersion> SeriesVersionAsync(ActionContext context, string package, string series, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(Dnf(["-q", "repoquery", "--qf", "%{version}-%{release}", package]), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ActionFailedException($"dnf repoquery {package} exited {result.ExitCode}: {result.CombinedOutput}");
        }

        var available = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(PackageNames.IsValidVersion)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v, RpmVersionComparer.Instance)
            .ToArray();

        // The CentOS procedure switches the repository file to the series and lets yum pick; here the highest
        // version starting with the series stands in for that.
        var match = available.FirstOrDefault(v => PackageNames.InSeries(v, series))
            ?? throw new ActionFailedException($"no {series} version of {package} in the repositories (available: {string.Join(", ", available)})");
        return new SeriesVersion(match);
    }

    /// <inheritdoc />
    public ToolInvocation Transaction(IReadOnlyList<KeyValuePair<string, string>> targets) =>
        Dnf(["downgrade", .. targets.Select(t => $"{t.Key}-{t.Value}")]);

    /// <inheritdoc />
    public async Task<string?> InstalledVersionAsync(ActionContext context, string package, CancellationToken cancellationToken)
    {
        List<string> args = ["-q", "--qf", "%{VERSION}-%{RELEASE}", package];
        if (_options.InstallRoot is { } root)
        {
            args.Insert(0, $"--root={root}");
        }

        var result = await context.QueryAsync(new ToolInvocation { FileName = _options.Rpm, Arguments = args }, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    private ToolInvocation Dnf(IReadOnlyList<string> args)
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

        return new ToolInvocation { FileName = _options.Dnf, Arguments = [.. all, .. args] };
    }
}
