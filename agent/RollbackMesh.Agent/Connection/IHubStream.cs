using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>One open AgentHub.Connect call: agent messages out, coordinator messages in.</summary>
internal interface IHubStream : IDisposable
{
    /// <summary>Completes when the coordinator answered the call (response headers arrived).</summary>
    Task WaitConnectedAsync(CancellationToken cancellationToken);

    /// <summary>Writes one message; callers serialise writes (one writer at a time).</summary>
    Task WriteAsync(AgentMessage message, CancellationToken cancellationToken);

    /// <summary>Half-closes the request side.</summary>
    Task CompleteAsync();

    /// <summary>Reads the coordinator's messages until it ends the call; a non-OK status throws.</summary>
    IAsyncEnumerable<CoordinatorMessage> ReadAllAsync(CancellationToken cancellationToken);
}
