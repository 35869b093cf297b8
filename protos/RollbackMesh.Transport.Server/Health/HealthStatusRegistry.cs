using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace RollbackMesh.Transport.Health;

/// <summary>
/// The serving status of each service a server hosts, for the grpc.health.v1 Check and Watch methods.
/// The overall server (service name "") starts as SERVING; other services are unknown until set.
/// </summary>
public sealed class HealthStatusRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [string.Empty] = ServingStatus.Serving };
    private readonly List<HealthWatcher> _watchers = [];

    /// <summary>Sets the status of <paramref name="service"/> ("" for the whole server) and tells its watchers.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            _statuses[service] = status;
            Notify(service, status);
        }
    }

    /// <summary>Forgets <paramref name="service"/>: Check then answers NOT_FOUND and watchers see SERVICE_UNKNOWN.</summary>
    public bool ClearStatus(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            var removed = _statuses.Remove(service);
            if (removed)
            {
                Notify(service, ServingStatus.ServiceUnknown);
            }

            return removed;
        }
    }

    /// <summary>The status of <paramref name="service"/>, if it is known.</summary>
    public bool TryGetStatus(string service, out ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            return _statuses.TryGetValue(service, out status);
        }
    }

    /// <summary>Subscribes to <paramref name="service"/>: the reader yields the current status, then each change.</summary>
    internal HealthWatcher Watch(string service)
    {
        var watcher = new HealthWatcher(this, service);
        lock (_lock)
        {
            _watchers.Add(watcher);
            watcher.Publish(_statuses.TryGetValue(service, out var current) ? current : ServingStatus.ServiceUnknown);
        }

        return watcher;
    }

    internal void Remove(HealthWatcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }

    private void Notify(string service, ServingStatus status)
    {
        foreach (var watcher in _watchers)
        {
            if (watcher.Service == service)
            {
                watcher.Publish(status);
            }
        }
    }
}
