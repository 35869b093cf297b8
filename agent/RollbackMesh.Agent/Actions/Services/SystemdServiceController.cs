using RollbackMesh.Agent.Systemd;
using Tmds.DBus.Protocol;

namespace RollbackMesh.Agent.Actions.Services;

/// <summary>
/// <see cref="IServiceController"/> over systemd's D-Bus API (<see cref="SystemdManager"/> on the shared
/// <see cref="SystemdConnection"/>): the job is awaited through JobRemoved, and an unreachable bus, bus errors,
/// unknown units and job timeouts become <see cref="ActionFailedException"/>.
/// </summary>
internal sealed class SystemdServiceController : IServiceController
{
    private readonly SystemdConnection _systemd;

    /// <summary>Uses <paramref name="systemd"/> (owned by the caller).</summary>
    public SystemdServiceController(SystemdConnection systemd) => _systemd = systemd;

    /// <inheritdoc />
    public async Task<ServiceJobOutcome> RunAsync(string unit, ServiceOperation operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var manager = await ManagerAsync(cancellationToken).ConfigureAwait(false);
            var job = await (operation switch
            {
                ServiceOperation.Start => manager.StartUnitAsync(unit, timeout, cancellationToken),
                ServiceOperation.Stop => manager.StopUnitAsync(unit, timeout, cancellationToken),
                ServiceOperation.Restart => manager.RestartUnitAsync(unit, timeout, cancellationToken),
                _ => manager.ReloadUnitAsync(unit, timeout, cancellationToken),
            }).ConfigureAwait(false);
            return new ServiceJobOutcome(job.Result == JobResult.Done, job.Result.ToString().ToLowerInvariant());
        }
        catch (Exception ex) when (ex is UnitNotFoundException or DBusExceptionBase or TimeoutException or ArgumentException)
        {
            throw new ActionFailedException($"{operation.ToString().ToLowerInvariant()} {unit}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public async Task<ServiceStatus> GetStatusAsync(string unit, CancellationToken cancellationToken)
    {
        try
        {
            var manager = await ManagerAsync(cancellationToken).ConfigureAwait(false);
            var state = await manager.GetUnitStateAsync(unit, cancellationToken).ConfigureAwait(false);
            return new ServiceStatus(state.Unit, state.LoadState, state.ActiveState, state.SubState);
        }
        catch (Exception ex) when (ex is UnitNotFoundException or DBusExceptionBase or ArgumentException)
        {
            throw new ActionFailedException($"state of {unit}: {ex.Message}", ex);
        }
    }

    private async Task<SystemdManager> ManagerAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _systemd.GetManagerAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DBusExceptionBase ex)
        {
            throw new ActionFailedException($"cannot reach systemd on {_systemd.BusAddress}: {ex.Message}", ex);
        }
    }
}
