using RollbackMesh.Agent.Actions.Services;
using RollbackMesh.Agent.Configuration;

namespace RollbackMesh.Agent.Health;

/// <summary>Reads the ActiveState/SubState of every watched unit; a unit that cannot be read is a problem.</summary>
internal sealed class UnitProbe
{
    private readonly IUnitStateReader _reader;
    private readonly IReadOnlyList<string> _units;

    /// <summary>Creates the probe for <paramref name="units"/>; a bare name ("k3s") is watched as "k3s.service".</summary>
    public UnitProbe(IUnitStateReader reader, IReadOnlyList<string> units)
    {
        _reader = reader;
        _units = units.Select(UnitNames.Normalize).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Creates the probe for the configured watched units.</summary>
    public UnitProbe(IUnitStateReader reader, AgentOptions options)
        : this(reader, options.WatchedUnits)
    {
    }

    /// <summary>True when there is nothing to watch.</summary>
    public bool IsEmpty => _units.Count == 0;

    /// <summary>Reads every unit; never throws for a unit that cannot be read.</summary>
    public async Task<IReadOnlyList<UnitStatus>> ProbeAsync(ICollection<string> problems, CancellationToken cancellationToken)
    {
        var states = new List<UnitStatus>(_units.Count);
        foreach (var unit in _units)
        {
            try
            {
                states.Add(await _reader.ReadAsync(unit, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                states.Add(new UnitStatus(unit, string.Empty, string.Empty, ex.Message));
                problems.Add($"unit {unit}: cannot read its state ({ex.Message})");
            }
        }

        return states;
    }
}
