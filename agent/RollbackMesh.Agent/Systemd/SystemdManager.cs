using Tmds.DBus.Protocol;

namespace RollbackMesh.Agent.Systemd;

/// <summary>
/// The org.freedesktop.systemd1 Manager API over one bus connection (Tmds.DBus.Protocol): start/stop/restart/reload a
/// unit and wait for its job, and read a unit's state. The library's calls take no cancellation token, so every call
/// here is bounded by <see cref="Task.WaitAsync(CancellationToken)"/>: a cancelled caller stops waiting at once, and the
/// reply, if it comes, is dropped.
/// </summary>
internal sealed class SystemdManager : IDisposable
{
    internal const string ServiceName = "org.freedesktop.systemd1";
    internal const string ManagerPath = "/org/freedesktop/systemd1";
    internal const string ManagerInterface = "org.freedesktop.systemd1.Manager";
    internal const string UnitInterface = "org.freedesktop.systemd1.Unit";
    internal const string ServiceInterface = "org.freedesktop.systemd1.Service";
    internal const string NoSuchUnitError = "org.freedesktop.systemd1.NoSuchUnit";

    private const string PropertiesInterface = "org.freedesktop.DBus.Properties";
    private const string ReplaceMode = "replace";

    private readonly DBusConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly JobTracker _jobs = new();
    private readonly Task<Exception?> _disconnected;
    private string _systemdOwner = string.Empty;
    private IDisposable? _jobRemoved;
    private volatile bool _ownerChanged;

    private SystemdManager(DBusConnection connection, TimeProvider timeProvider)
    {
        _connection = connection;
        _timeProvider = timeProvider;
        _disconnected = connection.DisconnectedAsync();
        _ = _disconnected.ContinueWith(
            static (task, state) => ((JobTracker)state!).Close(ClosedWhileWaiting(task.Result)),
            _jobs, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// False once the bus connection has closed (the bus went away, or the manager was disposed) or systemd's bus name
    /// changed owner (a re-executed systemd has a new unique name and knows nothing of this connection's subscription).
    /// </summary>
    public bool IsConnected => !_disconnected.IsCompleted && !_ownerChanged;

    /// <summary>The underlying connection, for calls this class does not wrap (tests read other unit properties).</summary>
    internal DBusConnection Connection => _connection;

    /// <summary>
    /// Connects to <paramref name="busAddress"/>, adds the JobRemoved match and calls Manager.Subscribe so systemd emits
    /// job signals. Throws <see cref="DBusConnectionException"/> when the bus cannot be reached and
    /// <see cref="DBusErrorReplyException"/> when systemd is not on it.
    /// </summary>
    public static async Task<SystemdManager> ConnectAsync(string busAddress, TimeProvider timeProvider, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var connection = new DBusConnection(busAddress);
        SystemdManager? manager = null;
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(ct).ConfigureAwait(false);
            manager = new SystemdManager(connection, timeProvider);
            await manager.SubscribeAsync(ct).ConfigureAwait(false);
            return manager;
        }
        catch
        {
            manager?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    /// <summary>StartUnit in mode "replace", then waits for the job. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task<UnitJobResult> StartUnitAsync(string unit, TimeSpan timeout, CancellationToken ct) => RunJobAsync("StartUnit", unit, timeout, ct);

    /// <summary>StopUnit in mode "replace", then waits for the job.</summary>
    public Task<UnitJobResult> StopUnitAsync(string unit, TimeSpan timeout, CancellationToken ct) => RunJobAsync("StopUnit", unit, timeout, ct);

    /// <summary>RestartUnit in mode "replace", then waits for the job.</summary>
    public Task<UnitJobResult> RestartUnitAsync(string unit, TimeSpan timeout, CancellationToken ct) => RunJobAsync("RestartUnit", unit, timeout, ct);

    /// <summary>ReloadUnit in mode "replace", then waits for the job.</summary>
    public Task<UnitJobResult> ReloadUnitAsync(string unit, TimeSpan timeout, CancellationToken ct) => RunJobAsync("ReloadUnit", unit, timeout, ct);

    /// <summary>Reads LoadState, ActiveState, SubState (and a service's NRestarts); throws <see cref="UnitNotFoundException"/> for an unknown unit.</summary>
    public async Task<UnitState> GetUnitStateAsync(string unit, CancellationToken ct)
    {
        UnitNameValidator.ThrowIfInvalid(unit);
        // LoadUnit, not GetUnit: systemd unloads a stopped unit, and GetUnit then says NoSuchUnit.
        var path = await LoadUnitAsync(unit, ct).ConfigureAwait(false);
        var properties = await Task.WhenAll(
            GetStringPropertyAsync(path, UnitInterface, "LoadState", ct),
            GetStringPropertyAsync(path, UnitInterface, "ActiveState", ct),
            GetStringPropertyAsync(path, UnitInterface, "SubState", ct)).ConfigureAwait(false);
        if (properties[0] == "not-found")
        {
            throw new UnitNotFoundException(unit);
        }

        var restarts = unit.EndsWith(".service", StringComparison.Ordinal)
            ? await GetPropertyAsync(path, ServiceInterface, "NRestarts", static v => v.GetUInt32(), ct).ConfigureAwait(false)
            : 0u;
        return new UnitState(unit, properties[0], properties[1], properties[2]) { Restarts = restarts };
    }

    /// <summary>The unit's object path from Manager.LoadUnit; throws <see cref="UnitNotFoundException"/> on NoSuchUnit.</summary>
    internal Task<string> LoadUnitAsync(string unit, CancellationToken ct) =>
        CallManagerAsync(unit, ManagerCall("LoadUnit", "s", unit), ReadObjectPath, ct);

    /// <summary>One property through org.freedesktop.DBus.Properties.Get, read by <paramref name="read"/>.</summary>
    internal Task<T> GetPropertyAsync<T>(string objectPath, string @interface, string property, Func<VariantValue, T> read, CancellationToken ct)
    {
        MessageBuffer message;
        var writer = _connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(ServiceName, objectPath, PropertiesInterface, "Get", "ss", MessageFlags.NoAutoStart);
            writer.WriteString(@interface);
            writer.WriteString(property);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }

        return _connection.CallMethodAsync(message, static (m, state) => ((Func<VariantValue, T>)state!)(m.GetBodyReader().ReadVariantValue()), read).WaitAsync(ct);
    }

    /// <summary>Removes the JobRemoved match and closes the connection; waits still pending fail.</summary>
    public void Dispose()
    {
        _jobRemoved?.Dispose();
        _connection.Dispose();
    }

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
            var jobPath = await CallManagerAsync(unit, ManagerCall(method, "ss", unit, ReplaceMode), ReadObjectPath, linked.Token).ConfigureAwait(false);
            var result = await watch.WaitAsync(jobPath, linked.Token).ConfigureAwait(false);
            return new UnitJobResult(unit, jobPath, JobResults.Parse(result));
        }
        catch (OperationCanceledException ex) when (timeoutCts.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"systemd did not finish {method} for unit '{unit}' within {timeout}.", ex);
        }
    }

    /// <summary>
    /// Subscribe makes systemd emit job signals to this connection. The bus delivers a signal addressed to our own
    /// name whatever the match rules say, so the sender is checked against systemd's unique name, read first: no other
    /// client on the bus can forge a job's result.
    /// </summary>
    private async Task SubscribeAsync(CancellationToken ct)
    {
        _systemdOwner = await CallAsync(BusCall("GetNameOwner", ServiceName), static (m, _) => m.GetBodyReader().ReadString(), ct).ConfigureAwait(false);
        var rule = new MatchRule
        {
            Type = MessageType.Signal,
            Sender = ServiceName,
            Path = ManagerPath,
            Interface = ManagerInterface,
            Member = "JobRemoved",
        };
        _jobRemoved = await _connection.AddMatchAsync(rule, ReadJobRemoved, OnJobRemoved, emitOnCapturedContext: false, ObserverFlags.EmitOnOwnerChanged, this)
            .AsTask().WaitAsync(ct).ConfigureAwait(false);
        await _connection.CallMethodAsync(ManagerCall("Subscribe", null)).WaitAsync(ct).ConfigureAwait(false);
    }

    // JobRemoved(u id, o job, s unit, s result); anything else, or from anyone but systemd, is ignored.
    private static (string Job, string Result)? ReadJobRemoved(Message message, object? state)
    {
        if (message.SignatureAsString != "uoss" || message.SenderAsString != ((SystemdManager)state!)._systemdOwner)
        {
            return null;
        }

        var reader = message.GetBodyReader();
        _ = reader.ReadUInt32();
        var job = reader.ReadObjectPathAsString();
        _ = reader.ReadString();
        return (job, reader.ReadString());
    }

    // Runs on the connection's reader; must not throw (the library would drop the connection).
    private static void OnJobRemoved(Notification<(string Job, string Result)?> notification)
    {
        var manager = (SystemdManager)notification.State!;
        if (notification.HasValue && notification.Value is { } removed)
        {
            manager._jobs.OnJobRemoved(removed.Job, removed.Result);
        }
        else if (notification.Type == NotificationType.OwnerChanged)
        {
            manager._ownerChanged = true;
            manager._jobs.Close(new DBusConnectionException("systemd left the bus (or was re-executed) while a job was being waited for."));
        }
    }

    private static DBusConnectionClosedException ClosedWhileWaiting(Exception? reason)
    {
        const string Message = "The bus connection closed while a systemd job was being waited for.";
        return reason is null ? new DBusConnectionClosedException(Message) : new DBusConnectionClosedException(Message, reason);
    }

    private static string ReadObjectPath(Message message, object? state) => message.GetBodyReader().ReadObjectPathAsString();

    private async Task<T> CallManagerAsync<T>(string unit, MessageBuffer message, MessageValueReader<T> read, CancellationToken ct)
    {
        try
        {
            return await CallAsync(message, read, ct).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException ex) when (ex.ErrorName == NoSuchUnitError)
        {
            throw new UnitNotFoundException(unit, ex);
        }
    }

    private Task<T> CallAsync<T>(MessageBuffer message, MessageValueReader<T> read, CancellationToken ct) =>
        _connection.CallMethodAsync(message, read).WaitAsync(ct);

    private Task<string> GetStringPropertyAsync(string objectPath, string @interface, string property, CancellationToken ct) =>
        GetPropertyAsync(objectPath, @interface, property, static v => v.GetString(), ct);

    /// <summary>NoAutoStart: systemd is never bus-activated, so a bus without it answers at once.</summary>
    private MessageBuffer ManagerCall(string member, string? signature, params string[] arguments) =>
        Call(ServiceName, ManagerPath, ManagerInterface, member, signature, arguments);

    private MessageBuffer BusCall(string member, string argument) =>
        Call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", member, "s", [argument]);

    private MessageBuffer Call(string destination, string path, string @interface, string member, string? signature, string[] arguments)
    {
        var writer = _connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(destination, path, @interface, member, signature, MessageFlags.NoAutoStart);
            foreach (var argument in arguments)
            {
                writer.WriteString(argument);
            }

            return writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
    }
}
