namespace RollbackMesh.Agent.Actions.Services;

/// <summary>Controls systemd units; the agent's implementation talks to systemd over D-Bus.</summary>
internal interface IServiceController
{
    /// <summary>Runs <paramref name="operation"/> on <paramref name="unit"/> and waits for its job to finish.</summary>
    /// <exception cref="ActionFailedException">Unknown unit or a bus error.</exception>
    Task<ServiceJobOutcome> RunAsync(string unit, ServiceOperation operation, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Reads the unit's current state.</summary>
    Task<ServiceStatus> GetStatusAsync(string unit, CancellationToken cancellationToken);
}
