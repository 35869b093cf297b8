namespace RollbackMesh.Coordinator.Fleet;

/// <summary>A systemd unit's state as a node reported it; <see cref="Restarts"/> is a service's NRestarts.</summary>
internal sealed record UnitStatus(string Unit, string ActiveState, string SubState, string Error)
{
    public uint Restarts { get; init; }
}
