namespace RollbackMesh.Agent.Connection;

/// <summary>Holds the current <see cref="ConnectionStatus"/> and tells subscribers (systemd STATUS=, logs) when it changes.</summary>
internal sealed class ConnectionMonitor
{
    private readonly Lock _sync = new();
    private ConnectionStatus _current = new(ConnectionState.Starting, string.Empty);

    /// <summary>Raised after every change, on the thread that made it.</summary>
    public event Action<ConnectionStatus>? Changed;

    /// <summary>The current status.</summary>
    public ConnectionStatus Current
    {
        get
        {
            lock (_sync)
            {
                return _current;
            }
        }
    }

    /// <summary>Sets the status; subscribers are told only when it differs from the current one.</summary>
    public void Set(ConnectionState state, string detail)
    {
        var next = new ConnectionStatus(state, detail);
        lock (_sync)
        {
            if (next == _current)
            {
                return;
            }

            _current = next;
        }

        Changed?.Invoke(next);
    }
}
