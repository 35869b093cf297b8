using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>
/// yum/dnf: versions from `dnf repoquery` and `dnf -v repolist` (see <see cref="DnfSeriesSelector"/>), one `dnf downgrade` transaction, verified with `rpm -q` because
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
        // Both queries cover the enabled repositories only, as yum downgrade does.
        var repolist = await context.QueryAsync(Dnf(["-v", "repolist", "--enabled"]), cancellationToken).ConfigureAwait(false);
        if (!repolist.Succeeded)
        {
            throw new ActionFailedException($"dnf repolist exited {repolist.ExitCode}: {repolist.CombinedOutput}");
        }

        var rows = await context.QueryAsync(
            Dnf(["-q", "repoquery", "--qf", "%{name} %{epoch}:%{version}-%{release} %{repoid}", package]), cancellationToken).ConfigureAwait(false);
        if (!rows.Succeeded)
        {
            throw new ActionFailedException($"dnf repoquery {package} exited {rows.ExitCode}: {rows.CombinedOutput}");
        }

        return DnfSeriesSelector.Select(
            DnfSeriesSelector.Parse(rows.StandardOutput), DnfSeriesSelector.SeriesRepoIds(repolist.StandardOutput, series), package, series);
    }

    /// <inheritdoc />
    public Task<ToolInvocation> TransactionAsync(ActionContext context, IReadOnlyList<KeyValuePair<string, string>> targets, CancellationToken cancellationToken) =>
        Task.FromResult(Dnf(["downgrade", .. targets.Select(t => $"{t.Key}-{t.Value}")]));

    /// <inheritdoc />
    public Task<string?> InstalledVersionAsync(ActionContext context, string package, CancellationToken cancellationToken) =>
        RpmQuery.InstalledVersionAsync(context, _options, package, cancellationToken);

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
