namespace RollbackMesh.Agent.Actions.Services;

/// <summary>What to do to a unit.</summary>
internal enum ServiceOperation
{
    /// <summary>systemctl start.</summary>
    Start,

    /// <summary>systemctl stop.</summary>
    Stop,

    /// <summary>systemctl restart.</summary>
    Restart,

    /// <summary>systemctl reload.</summary>
    Reload,
}
