namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>
/// Downgrades the listed packages to a series (resolved from the repository) or exact versions, all in ONE
/// transaction (dependent packages pinned separately cannot be resolved), then checks the installed versions
/// with the package database rather than trusting the exit code.
/// </summary>
internal sealed class PackageDowngradeAction : AgentAction
{
    private readonly IPackageBackend _backend;
    private readonly IReadOnlyList<string> _packages;
    private readonly string _series;
    private readonly IReadOnlyDictionary<string, string> _exact;

    /// <summary>Creates the action; names, versions and series were validated by the factory.</summary>
    public PackageDowngradeAction(IPackageBackend backend, IReadOnlyList<string> packages, string series, IReadOnlyDictionary<string, string> exact)
    {
        _backend = backend;
        _packages = packages;
        _series = series;
        _exact = exact;
    }

    /// <inheritdoc />
    public override string Kind => "package_downgrade";

    /// <inheritdoc />
    public override async Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var (targets, notes) = await ResolveAsync(context, cancellationToken).ConfigureAwait(false);
        var command = (await _backend.TransactionAsync(context, targets, cancellationToken).ConfigureAwait(false)).CommandLine;
        return notes.Count == 0 ? command : string.Join('\n', notes.Select(n => "note: " + n)) + "\n" + command;
    }

    /// <inheritdoc />
    public override async Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var (targets, _) = await ResolveAsync(context, cancellationToken).ConfigureAwait(false);
        return await MismatchesAsync(context, targets, cancellationToken).ConfigureAwait(false) is [];
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var (targets, notes) = await ResolveAsync(context, cancellationToken).ConfigureAwait(false);
        var transaction = await _backend.TransactionAsync(context, targets, cancellationToken).ConfigureAwait(false);
        foreach (var note in notes)
        {
            context.Output($"note: {note}");
        }

        context.Output($"transaction: {transaction.CommandLine}");
        await context.RunCheckedAsync(transaction, cancellationToken).ConfigureAwait(false);
        var wrong = await MismatchesAsync(context, targets, cancellationToken).ConfigureAwait(false);
        if (wrong.Count > 0)
        {
            throw new ActionFailedException($"{transaction.CommandLine} exited 0 but: {string.Join("; ", wrong)}");
        }

        return "installed " + string.Join(' ', targets.Select(t => $"{t.Key}={t.Value}"));
    }

    /// <inheritdoc />
    public override async Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        await IsAlreadyDoneAsync(context, cancellationToken).ConfigureAwait(false);

    private async Task<(IReadOnlyList<KeyValuePair<string, string>> Targets, IReadOnlyList<string> Notes)> ResolveAsync(
        ActionContext context, CancellationToken cancellationToken)
    {
        var targets = new List<KeyValuePair<string, string>>();
        var notes = new List<string>();
        foreach (var package in _packages)
        {
            if (_exact.TryGetValue(package, out var pinned))
            {
                targets.Add(new(package, pinned));
                continue;
            }

            var chosen = await _backend.SeriesVersionAsync(context, package, _series, cancellationToken).ConfigureAwait(false);
            targets.Add(new(package, chosen.Version));
            if (chosen.Note is { } note)
            {
                notes.Add(note);
            }
        }

        return (targets, notes);
    }

    private async Task<List<string>> MismatchesAsync(ActionContext context, IReadOnlyList<KeyValuePair<string, string>> targets, CancellationToken cancellationToken)
    {
        var wrong = new List<string>();
        foreach (var (package, version) in targets)
        {
            var installed = await _backend.InstalledVersionAsync(context, package, cancellationToken).ConfigureAwait(false);
            if (installed is null || (installed != version && !installed.StartsWith(version + "-", StringComparison.Ordinal)))
            {
                wrong.Add($"{package} is {installed ?? "not installed"}, expected {version}");
            }
        }

        return wrong;
    }
}
