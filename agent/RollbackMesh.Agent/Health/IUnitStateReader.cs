namespace RollbackMesh.Agent.Health;

/// <summary>Reads a systemd unit's state (over D-Bus in production).</summary>
internal interface IUnitStateReader
{
    /// <summary>The unit's ActiveState and SubState; throws when the bus or the unit cannot be read.</summary>
    Task<UnitStatus> ReadAsync(string unit, CancellationToken cancellationToken);
}
