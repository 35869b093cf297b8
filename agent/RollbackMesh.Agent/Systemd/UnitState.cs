namespace RollbackMesh.Agent.Systemd;

/// <summary>A unit's state as systemd reports it.</summary>
/// <param name="Unit">The unit name.</param>
/// <param name="LoadState">e.g. "loaded", "not-found", "masked".</param>
/// <param name="ActiveState">e.g. "active", "inactive", "failed", "activating".</param>
/// <param name="SubState">Type-specific, e.g. "running", "dead", "exited".</param>
internal sealed record UnitState(string Unit, string LoadState, string ActiveState, string SubState)
{
    /// <summary>A service's NRestarts: how often systemd restarted it under its Restart= setting (0 for other unit types).</summary>
    public uint Restarts { get; init; }
}
