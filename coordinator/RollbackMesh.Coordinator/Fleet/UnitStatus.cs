namespace RollbackMesh.Coordinator.Fleet;

/// <summary>A systemd unit's state as a node reported it.</summary>
internal sealed record UnitStatus(string Unit, string ActiveState, string SubState, string Error);
