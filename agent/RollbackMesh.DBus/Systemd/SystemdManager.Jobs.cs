namespace RollbackMesh.DBus.Systemd;

public sealed partial class SystemdManager
{
    private const string ReplaceMode = "replace";

    /// <summary>StartUnit in mode "replace", then waits for the job. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task<UnitJobResult> StartUnitAsync(string unit, TimeSpan timeout, CancellationToken ct) =>
        RunJobAsync("StartUnit", unit, timeout, ct);

    /// <summary>StopUnit in mode "replace", then waits for the job.</summary>
    public Task<UnitJobResult> StopUnitAsync(string unit, TimeSpan timeout, CancellationToken ct) =>
        RunJobAsync("StopUnit", unit, timeout, ct);

    /// <summary>RestartUnit in mode "replace", then waits for the job.</summary>
    public Task<UnitJobResult> RestartUnitAsync(string unit, TimeSpan timeout, CancellationToken ct) =>
        RunJobAsync("RestartUnit", unit, timeout, ct);

    /// <summary>ReloadUnit in mode "replace", then waits for the job.</summary>
    public Task<UnitJobResult> ReloadUnitAsync(string unit, TimeSpan timeout, CancellationToken ct) =>
        RunJobAsync("ReloadUnit", unit, timeout, ct);

    /// <summary>
    /// The watch is registered before the call goes out, so a JobRemoved dispatched before the reply is not lost.
    /// The timeout covers the call and the wait; on timeout the job may still be queued in systemd.
    /// </summary>
    private async Task<UnitJobResult> RunJobAsync(string method, string unit, TimeSpan timeout, CancellationToken ct)
    {
        UnitNameValidator.ThrowIfInvalid(unit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        using var timeoutCts = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        using var watch = _jobs.BeginWatch();
        try
        {
            var reply = await CallManagerAsync(method, unit, linked.Token, "ss", unit, ReplaceMode);
            var jobPath = ((ObjectPath)reply.Body[0]).Value;
            var result = await watch.WaitAsync(jobPath, linked.Token);
            return new UnitJobResult(unit, jobPath, JobResults.Parse(result));
        }
        catch (OperationCanceledException ex) when (timeoutCts.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"systemd did not finish {method} for unit '{unit}' within {timeout}.", ex);
        }
    }
}
