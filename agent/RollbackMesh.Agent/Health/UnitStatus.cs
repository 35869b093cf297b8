namespace RollbackMesh.Agent.Health;

/// <summary>A watched unit's state as reported in health reports.</summary>
/// <param name="Unit">The unit name (k3s.service).</param>
/// <param name="ActiveState">active, inactive, failed, activating, ... (empty when it could not be read).</param>
/// <param name="SubState">running, dead, exited, ... (empty when it could not be read).</param>
/// <param name="Error">Why the state could not be read; null when it was.</param>
internal sealed record UnitStatus(string Unit, string ActiveState, string SubState, string? Error = null)
{
    /// <summary>The service's NRestarts (<see cref="Systemd.UnitState.Restarts"/>); a change is reported at once like a state change.</summary>
    public uint Restarts { get; init; }
}
