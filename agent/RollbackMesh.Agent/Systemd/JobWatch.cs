namespace RollbackMesh.Agent.Systemd;

/// <summary>One job being waited for; see <see cref="JobTracker"/>. Remembered results are guarded by the tracker's lock.</summary>
internal sealed class JobWatch(JobTracker tracker) : IDisposable
{
    private readonly TaskCompletionSource<string> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, string> _remembered = new(StringComparer.Ordinal);

    public string? JobPath { get; private set; }

    /// <summary>Names the job from the method reply and waits for its JobRemoved result string.</summary>
    public Task<string> WaitAsync(string jobPath, CancellationToken ct)
    {
        JobPath = jobPath;
        tracker.Resolve(this, jobPath);
        return _result.Task.WaitAsync(ct);
    }

    public void Dispose() => tracker.Forget(this);

    internal void Remember(string jobPath, string result) => _remembered[jobPath] = result;

    internal bool TryTakeRemembered(string jobPath, out string result) => _remembered.Remove(jobPath, out result!);

    internal void Complete(string result) => _result.TrySetResult(result);

    internal void Fail(Exception reason) => _result.TrySetException(reason);
}
