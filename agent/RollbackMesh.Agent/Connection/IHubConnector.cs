namespace RollbackMesh.Agent.Connection;

/// <summary>Opens AgentHub.Connect calls to the coordinator.</summary>
internal interface IHubConnector
{
    /// <summary>The coordinator's address, for status lines and logs.</summary>
    string Address { get; }

    /// <summary>Starts a new call (on a fresh channel, so a dead connection is never reused).</summary>
    Task<IHubStream> ConnectAsync(CancellationToken cancellationToken);
}
