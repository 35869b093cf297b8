using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Actions.Services;
using RollbackMesh.DBus.Systemd;

namespace RollbackMesh.Agent.Hosting;

/// <summary>
/// The actions' service controller over the system bus, connected on first use (the agent must start, and report,
/// even when D-Bus is down) and reconnected after a failure.
/// </summary>
internal sealed class LazySystemdServiceController : IServiceController, IAsyncDisposable
{
    private readonly string _busAddress;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SystemdManager? _manager;

    /// <summary>Creates the controller for the bus at <paramref name="busAddress"/>.</summary>
    public LazySystemdServiceController(string busAddress) => _busAddress = busAddress;

    /// <inheritdoc />
    public async Task<ServiceJobOutcome> RunAsync(string unit, ServiceOperation operation, TimeSpan timeout, CancellationToken cancellationToken) =>
        await (await ControllerAsync(cancellationToken).ConfigureAwait(false)).RunAsync(unit, operation, timeout, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<ServiceStatus> GetStatusAsync(string unit, CancellationToken cancellationToken) =>
        await (await ControllerAsync(cancellationToken).ConfigureAwait(false)).GetStatusAsync(unit, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_manager is not null)
        {
            await _manager.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task<SystemdServiceController> ControllerAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A connection whose socket died is replaced; SystemdManager has no health flag, so a failed call drops it below.
            _manager ??= await SystemdManager.ConnectAsync(_busAddress, cancellationToken).ConfigureAwait(false);
            return new SystemdServiceController(_manager);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new ActionFailedException($"cannot reach systemd on {_busAddress}: {ex.Message}", ex);
        }
        finally
        {
            _gate.Release();
        }
    }
}
