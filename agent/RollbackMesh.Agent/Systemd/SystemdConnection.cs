namespace RollbackMesh.Agent.Systemd;

/// <summary>
/// The agent's one connection to systemd over the system bus, shared by service steps and the health probe. It is
/// made on first use, not at start (the agent must start, and report, while D-Bus is down), and made again on the
/// next use after the bus went away (dbus-daemon restarted): the library's own auto-connect would reconnect too, but
/// would not restore the JobRemoved match or systemd's subscription, which belong to a connection.
/// </summary>
internal sealed class SystemdConnection : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SystemdManager? _current;
    private bool _disposed;

    /// <summary>Creates the owner for the bus at <paramref name="busAddress"/> (a D-Bus address string); connects nothing yet.</summary>
    public SystemdConnection(string busAddress, TimeProvider timeProvider)
    {
        BusAddress = busAddress;
        _timeProvider = timeProvider;
    }

    /// <summary>The D-Bus address, e.g. <c>unix:path=/run/dbus/system_bus_socket</c>.</summary>
    public string BusAddress { get; }

    /// <summary>The connected manager: the current one while its connection is open, else a new one.</summary>
    /// <exception cref="Tmds.DBus.Protocol.DBusConnectionException">The bus cannot be reached.</exception>
    /// <exception cref="Tmds.DBus.Protocol.DBusErrorReplyException">systemd is not on the bus.</exception>
    public async Task<SystemdManager> GetManagerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { IsConnected: true } current)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is { IsConnected: true })
            {
                return _current;
            }

            _current?.Dispose();
            _current = null;
            var connected = await SystemdManager.ConnectAsync(BusAddress, _timeProvider, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _current, connected);
            return connected;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _current?.Dispose();
            _current = null;
        }
        finally
        {
            _gate.Release();
        }
    }
}
