namespace RollbackMesh.Agent.Connection;

/// <summary>Where the connection to the coordinator stands.</summary>
internal enum ConnectionState
{
    /// <summary>The agent has not tried to connect yet.</summary>
    Starting,

    /// <summary>Dialling the coordinator.</summary>
    Connecting,

    /// <summary>The stream is open and Hello was sent.</summary>
    Connected,

    /// <summary>The last attempt failed or the stream ended; waiting before the next attempt.</summary>
    WaitingToReconnect,

    /// <summary>The agent is shutting down.</summary>
    Stopped,
}
