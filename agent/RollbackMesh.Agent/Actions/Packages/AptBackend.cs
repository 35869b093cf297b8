using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>apt: versions from `apt-cache madison` (see <see cref="MadisonSelector"/>), one `apt-get install --reinstall --allow-downgrades` transaction, dpkg-query to verify.</summary>
internal sealed class AptBackend : IPackageBackend
{
    private readonly PackageManagerOptions _options;

    /// <summary>Creates the backend.</summary>
    public AptBackend(PackageManagerOptions options) => _options = options;

    /// <inheritdoc />
    public ToolInvocation CleanCache() => Apt(_options.AptGet, ["update"]);

    /// <inheritdoc />
    public async Task<SeriesVersion> SeriesVersionAsync(ActionContext context, string package, string series, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(Apt(_options.AptCache, ["madison", package]), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ActionFailedException($"apt-cache madison {package} exited {result.ExitCode}: {result.CombinedOutput}");
        }

        return MadisonSelector.Select(MadisonSelector.Parse(result.StandardOutput), package, series);
    }

    /// <inheritdoc />
    public ToolInvocation Transaction(IReadOnlyList<KeyValuePair<string, string>> targets) =>
        Apt(_options.AptGet, ["install", "--reinstall", "--allow-downgrades", "-y", .. targets.Select(t => $"{t.Key}={t.Value}")]);

    /// <inheritdoc />
    public async Task<string?> InstalledVersionAsync(ActionContext context, string package, CancellationToken cancellationToken)
    {
        List<string> args = ["-W", "-f=${Status}|${Version}", package];
        if (_options.DpkgAdminDirectory is { } admin)
        {
            args.Insert(0, $"--admindir={admin}");
        }

        var result = await context.QueryAsync(new ToolInvocation { FileName = _options.DpkgQuery, Arguments = args }, cancellationToken).ConfigureAwait(false);
        var parts = result.StandardOutput.Trim().Split('|');
        return result.Succeeded && parts.Length == 2 && parts[0].EndsWith(" installed", StringComparison.Ordinal) ? parts[1] : null;
    }

    private ToolInvocation Apt(string tool, IReadOnlyList<string> args) => new()
    {
        FileName = tool,
        Arguments = args,
        Environment = _options.AptConfigFile is { } config
            ? new Dictionary<string, string> { ["APT_CONFIG"] = config, ["DEBIAN_FRONTEND"] = "noninteractive" }
            : new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" },
    };
}
