using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>
/// apt: versions from `apt-cache madison` (see <see cref="MadisonSelector"/>), one `apt-get install --reinstall
/// --allow-downgrades` transaction (`--force-yes` on apt before 1.1), dpkg-query to verify.
/// </summary>
internal sealed class AptBackend : IPackageBackend
{
    private readonly PackageManagerOptions _options;
    private string? _downgradeOption;

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
    public async Task<ToolInvocation> TransactionAsync(ActionContext context, IReadOnlyList<KeyValuePair<string, string>> targets, CancellationToken cancellationToken)
    {
        var allowDowngrades = await DowngradeOptionAsync(context, cancellationToken).ConfigureAwait(false);
        return Apt(_options.AptGet, ["install", "--reinstall", allowDowngrades, "-y", .. targets.Select(t => $"{t.Key}={t.Value}")]);
    }

    /// <summary>
    /// apt-get learned --allow-downgrades in 1.1. Before it (apt 1.0 on Ubuntu 14.04, the platform of the Calico
    /// OpenStack document) the option is refused as not understood, and a downgrade with -y stops with "There are
    /// problems and -y was used without --force-yes", so there --force-yes is the only non-interactive downgrade.
    /// </summary>
    private async Task<string> DowngradeOptionAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (_downgradeOption is { } known)
        {
            return known;
        }

        // `apt-get --version` starts "apt 1.0.1ubuntu2 for amd64 ..." (1.0) or "apt 2.6.1 (amd64)"; unreadable means modern.
        var result = await context.QueryAsync(Apt(_options.AptGet, ["--version"]), cancellationToken).ConfigureAwait(false);
        var words = result.StandardOutput.Split('\n', 2)[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var old = result.Succeeded && words is ["apt", var version, ..] && DebianVersionComparer.Instance.Compare(version, "1.1~") < 0;
        return _downgradeOption = old ? "--force-yes" : "--allow-downgrades";
    }

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
