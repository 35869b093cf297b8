using RollbackMesh.DBus;
using RollbackMesh.DBus.Systemd;

namespace RollbackMesh.Agent.Actions.Services;

/// <summary>
/// <see cref="IServiceController"/> over systemd's D-Bus API (<see cref="SystemdManager"/>): the job is awaited
/// through JobRemoved, and bus errors, unknown units and job timeouts become <see cref="ActionFailedException"/>.
/// </summary>
internal sealed class SystemdServiceController : IServiceController
{
    private readonly SystemdManager _manager;

    /// <summary>Wraps a connected manager (owned by the caller).</summary>
    public SystemdServiceController(SystemdManager manager) => _manager = manager;

    /// <inheritdoc />
    public async Task<ServiceJobOutcome> RunAsync(string unit, ServiceOperation operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var job = await (operation switch
            {
                ServiceOperation.Start => _manager.StartUnitAsync(unit, timeout, cancellationToken),
                ServiceOperation.Stop => _manager.StopUnitAsync(unit, timeout, cancellationToken),
                ServiceOperation.Restart => _manager.RestartUnitAsync(unit, timeout, cancellationToken),
                _ => _manager.ReloadUnitAsync(unit, timeout, cancellationToken),
            }).ConfigureAwait(false);
            return new ServiceJobOutcome(job.Result == JobResult.Done, job.Result.ToString().ToLowerInvariant());
        }
        catch (Exception ex) when (ex is UnitNotFoundException or DBusErrorException or TimeoutException or ArgumentException)
        {
            throw new ActionFailedException($"{operation.ToString().ToLowerInvariant()} {unit}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public async Task<ServiceStatus> GetStatusAsync(string unit, CancellationToken cancellationToken)
    {
        try
        {
            var state = await _manager.GetUnitStateAsync(unit, cancellationToken).ConfigureAwait(false);
            return new ServiceStatus(state.Unit, state.LoadState, state.ActiveState, state.SubState);
        }
        catch (Exception ex) when (ex is UnitNotFoundException or DBusErrorException or ArgumentException)
        {
            throw new ActionFailedException($"state of {unit}: {ex.Message}", ex);
        }
    }
}
