namespace RollbackMesh.Agent.Actions.Services;

/// <summary>A unit's state as systemd reports it.</summary>
/// <param name="Unit">The unit name.</param>
/// <param name="LoadState">loaded, not-found, ...</param>
/// <param name="ActiveState">active, inactive, failed, activating, ...</param>
/// <param name="SubState">running, dead, exited, ...</param>
internal sealed record ServiceStatus(string Unit, string LoadState, string ActiveState, string SubState);
