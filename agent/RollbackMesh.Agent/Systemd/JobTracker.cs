namespace RollbackMesh.Agent.Systemd;

/// <summary>
/// Pairs <c>JobRemoved</c> signals with the calls that queued the jobs. A watch exists before the method call is
/// sent; until the reply names its job path it remembers every JobRemoved it sees, because the signal can be
/// dispatched before the caller gets to look at the reply. Once the connection is gone no JobRemoved can come any
/// more: <see cref="Close"/> fails every wait, present and future, with the reason.
/// </summary>
internal sealed class JobTracker
{
    private readonly Lock _lock = new();
    private readonly HashSet<JobWatch> _unresolved = [];
    // A list because systemd merges a job into an equal one already queued and hands both callers the same path.
    private readonly Dictionary<string, List<JobWatch>> _byJobPath = new(StringComparer.Ordinal);
    private Exception? _closed;

    /// <summary>Starts watching; call before sending the job's method call.</summary>
    public JobWatch BeginWatch()
    {
        var watch = new JobWatch(this);
        lock (_lock)
        {
            if (_closed is null)
            {
                _unresolved.Add(watch);
            }
        }

        return watch;
    }

    /// <summary>Handles one JobRemoved signal.</summary>
    public void OnJobRemoved(string jobPath, string result)
    {
        lock (_lock)
        {
            if (_byJobPath.Remove(jobPath, out var waiting))
            {
                foreach (var watch in waiting)
                {
                    watch.Complete(result);
                }
            }

            foreach (var watch in _unresolved)
            {
                watch.Remember(jobPath, result);
            }
        }
    }

    /// <summary>Fails every wait with <paramref name="reason"/>: the signals stopped with the connection.</summary>
    public void Close(Exception reason)
    {
        lock (_lock)
        {
            _closed ??= reason;
            foreach (var watch in _unresolved.Concat(_byJobPath.Values.SelectMany(w => w)))
            {
                watch.Fail(_closed);
            }

            _unresolved.Clear();
            _byJobPath.Clear();
        }
    }

    internal void Resolve(JobWatch watch, string jobPath)
    {
        lock (_lock)
        {
            _unresolved.Remove(watch);
            if (watch.TryTakeRemembered(jobPath, out var result))
            {
                watch.Complete(result);
            }
            else if (_closed is not null)
            {
                watch.Fail(_closed);
            }
            else if (_byJobPath.TryGetValue(jobPath, out var waiting))
            {
                waiting.Add(watch);
            }
            else
            {
                _byJobPath[jobPath] = [watch];
            }
        }
    }

    internal void Forget(JobWatch watch)
    {
        lock (_lock)
        {
            _unresolved.Remove(watch);
            if (watch.JobPath is { } path && _byJobPath.TryGetValue(path, out var waiting) && waiting.Remove(watch) && waiting.Count == 0)
            {
                _byJobPath.Remove(path);
            }
        }
    }
}
