using RollbackMesh.Agent.Systemd;

namespace RollbackMesh.Agent.Health;

/// <summary>
/// Reads unit states from systemd over the agent's shared <see cref="SystemdConnection"/>, which reconnects on the next
/// read after the bus went away, so a restarted dbus-daemon or systemd is picked up by the next health report.
/// </summary>
internal sealed class DBusUnitStateReader : IUnitStateReader
{
    private readonly SystemdConnection _systemd;

    /// <summary>Reads through <paramref name="systemd"/> (owned by the caller).</summary>
    public DBusUnitStateReader(SystemdConnection systemd) => _systemd = systemd;

    /// <inheritdoc />
    public async Task<UnitStatus> ReadAsync(string unit, CancellationToken cancellationToken)
    {
        var manager = await _systemd.GetManagerAsync(cancellationToken).ConfigureAwait(false);
        var state = await manager.GetUnitStateAsync(unit, cancellationToken).ConfigureAwait(false);
        return new UnitStatus(state.Unit, state.ActiveState, state.SubState) { Restarts = state.Restarts };
    }
}
