using RollbackMesh.Agent.Configuration;

namespace RollbackMesh.Agent.Health;

/// <summary>Runs every health probe and assembles a <see cref="HealthSnapshot"/>; a failing probe is a problem in the report.</summary>
internal sealed class HealthCollector
{
    private readonly UnitProbe _units;
    private readonly VersionProbe _versions;
    private readonly DiskProbe _disks;
    private readonly DatastoreProbe _datastore;
    private readonly LastStepTracker _lastStep;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the collector from its probes.</summary>
    public HealthCollector(UnitProbe units, VersionProbe versions, DiskProbe disks, DatastoreProbe datastore,
        LastStepTracker lastStep, TimeProvider timeProvider)
    {
        _units = units;
        _versions = versions;
        _disks = disks;
        _datastore = datastore;
        _lastStep = lastStep;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates the collector for the configured node.</summary>
    public static HealthCollector Create(AgentOptions options, IUnitStateReader units, Processes.ToolRunner runner,
        LastStepTracker lastStep, TimeProvider timeProvider) =>
        new(new UnitProbe(units, options),
            new VersionProbe(runner, options),
            new DiskProbe(options.EffectiveDataDirectories),
            new DatastoreProbe(options.K3sDataDir, [options.K3sConfigFile, .. options.EffectiveK3sUnitFiles]),
            lastStep,
            timeProvider);

    /// <summary>Reads only the watched units (cheap; used to notice changes between full reports).</summary>
    public Task<IReadOnlyList<UnitStatus>> ProbeUnitsAsync(CancellationToken cancellationToken) =>
        _units.ProbeAsync(new List<string>(), cancellationToken);

    /// <summary>True when there are watched units to poll.</summary>
    public bool HasUnits => !_units.IsEmpty;

    /// <summary>Runs every probe.</summary>
    public async Task<HealthSnapshot> CollectAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var at = _timeProvider.GetUtcNow();
        var units = await Guard("units", () => _units.ProbeAsync(problems, cancellationToken), [], problems).ConfigureAwait(false);
        var versions = await Guard("versions", () => _versions.ProbeAsync(problems, cancellationToken),
            new Dictionary<string, string>(), problems).ConfigureAwait(false);
        var disks = await Guard("disks", () => Task.FromResult(_disks.Probe(problems)), [], problems).ConfigureAwait(false);
        var datastore = await Guard("datastore", () => Task.FromResult(_datastore.Probe(problems)), V1.DatastoreKind.Unspecified, problems)
            .ConfigureAwait(false);
        return new HealthSnapshot
        {
            At = at,
            Units = units,
            Versions = versions,
            Disks = disks,
            Datastore = datastore,
            LastStep = _lastStep.Last,
            Problems = problems,
        };
    }

    // A probe must never take the agent down: whatever it throws becomes a problem in the report.
    private static async Task<T> Guard<T>(string probe, Func<Task<T>> run, T fallback, List<string> problems)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems.Add($"{probe} probe failed: {ex.Message}");
            return fallback;
        }
    }
}
