namespace RollbackMesh.Agent.Connection;

/// <summary>A snapshot of the connection state with a human-readable detail (shown in systemd's STATUS=).</summary>
/// <param name="State">The state.</param>
/// <param name="Detail">What happened last: the coordinator address, the error, the retry delay.</param>
internal sealed record ConnectionStatus(ConnectionState State, string Detail)
{
    /// <summary>One line for `systemctl status`.</summary>
    public string ToStatusLine() => State switch
    {
        ConnectionState.Starting => "Starting",
        ConnectionState.Connecting => $"Connecting to {Detail}",
        ConnectionState.Connected => $"Connected to {Detail}",
        ConnectionState.WaitingToReconnect => $"Disconnected: {Detail}",
        ConnectionState.Stopped => "Stopping",
        _ => State.ToString(),
    };
}
