using RollbackMesh.DBus.Systemd;

namespace RollbackMesh.Agent.Health;

/// <summary>
/// Reads unit states from systemd over the system bus. The bus connection is opened on first use and dropped after
/// any failure, so a restarted dbus-daemon or systemd is picked up by the next health report.
/// </summary>
internal sealed class DBusUnitStateReader : IUnitStateReader, IAsyncDisposable
{
    private readonly string _busAddress;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SystemdManager? _manager;

    /// <summary>Creates the reader for the bus at <paramref name="busAddress"/> (a D-Bus address string).</summary>
    public DBusUnitStateReader(string busAddress) => _busAddress = busAddress;

    /// <inheritdoc />
    public async Task<UnitStatus> ReadAsync(string unit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _manager ??= await SystemdManager.ConnectAsync(_busAddress, cancellationToken).ConfigureAwait(false);
            var state = await _manager.GetUnitStateAsync(unit, cancellationToken).ConfigureAwait(false);
            return new UnitStatus(state.Unit, state.ActiveState, state.SubState);
        }
        catch (UnitNotFoundException)
        {
            throw;
        }
        catch (Exception) when (_manager is not null)
        {
            await DropAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DropAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task DropAsync()
    {
        var manager = _manager;
        _manager = null;
        if (manager is not null)
        {
            await manager.DisposeAsync().ConfigureAwait(false);
        }
    }
}
