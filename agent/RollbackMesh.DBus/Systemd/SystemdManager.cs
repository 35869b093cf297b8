namespace RollbackMesh.DBus.Systemd;

/// <summary>
/// The org.freedesktop.systemd1 Manager API over one bus connection: start/stop/restart/reload a unit and wait
/// for the job to finish, and read a unit's state.
/// </summary>
public sealed partial class SystemdManager : IAsyncDisposable
{
    internal const string ServiceName = "org.freedesktop.systemd1";
    internal const string ManagerPath = "/org/freedesktop/systemd1";
    internal const string ManagerInterface = "org.freedesktop.systemd1.Manager";
    internal const string UnitInterface = "org.freedesktop.systemd1.Unit";
    internal const string NoSuchUnitError = "org.freedesktop.systemd1.NoSuchUnit";

    private const string DefaultSystemBusAddress = "unix:path=/run/dbus/system_bus_socket";

    private static readonly MatchRule JobRemovedRule = new()
    {
        Sender = ServiceName,
        Interface = ManagerInterface,
        Member = "JobRemoved",
        Path = ManagerPath,
    };

    private readonly DBusConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly JobTracker _jobs = new();
    private IAsyncDisposable? _jobRemoved;

    private SystemdManager(DBusConnection connection, TimeProvider timeProvider)
    {
        _connection = connection;
        _timeProvider = timeProvider;
    }

    /// <summary>The system bus: <c>DBUS_SYSTEM_BUS_ADDRESS</c> if set, else <c>unix:path=/run/dbus/system_bus_socket</c>.</summary>
    public static string SystemBusAddress =>
        Environment.GetEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS") is { Length: > 0 } address ? address : DefaultSystemBusAddress;

    /// <summary>The underlying bus connection.</summary>
    public DBusConnection Connection => _connection;

    /// <summary>Connects, adds the JobRemoved match rule and calls Manager.Subscribe so systemd emits job signals.</summary>
    public static Task<SystemdManager> ConnectAsync(string busAddress, CancellationToken ct) =>
        ConnectAsync(busAddress, TimeProvider.System, ct);

    /// <summary>As <see cref="ConnectAsync(string, CancellationToken)"/>, with job timeouts measured by <paramref name="timeProvider"/>.</summary>
    public static async Task<SystemdManager> ConnectAsync(string busAddress, TimeProvider timeProvider, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var connection = await DBusConnection.ConnectAsync(busAddress, ct);
        var manager = new SystemdManager(connection, timeProvider);
        try
        {
            manager._jobRemoved = await connection.AddMatchAsync(JobRemovedRule, manager.OnJobRemoved, ct);
            await connection.CallMethodAsync(ManagerCall("Subscribe"), ct);
            return manager;
        }
        catch
        {
            await manager.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads LoadState, ActiveState and SubState; throws <see cref="UnitNotFoundException"/> for an unknown unit.</summary>
    public async Task<UnitState> GetUnitStateAsync(string unit, CancellationToken ct)
    {
        UnitNameValidator.ThrowIfInvalid(unit);
        // LoadUnit, not GetUnit: systemd unloads a stopped unit, and GetUnit then says NoSuchUnit.
        var reply = await CallManagerAsync("LoadUnit", unit, ct, "s", unit);
        var path = ((ObjectPath)reply.Body[0]).Value;
        var properties = await Task.WhenAll(
            GetUnitPropertyAsync(path, "LoadState", ct),
            GetUnitPropertyAsync(path, "ActiveState", ct),
            GetUnitPropertyAsync(path, "SubState", ct));
        if (properties[0] == "not-found")
        {
            throw new UnitNotFoundException(unit);
        }

        return new UnitState(unit, properties[0], properties[1], properties[2]);
    }

    /// <summary>Removes the match rule and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_jobRemoved is not null)
        {
            await _jobRemoved.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }

    /// <summary>NoAutoStart: systemd is never bus-activated, so a bus without it answers ServiceUnknown at once.</summary>
    private static MethodCall ManagerCall(string member, string signature = "", params object[] arguments) =>
        new(ServiceName, ManagerPath, ManagerInterface, member)
        {
            Signature = signature,
            Arguments = arguments,
            Flags = MessageFlags.NoAutoStart,
        };

    private async Task<DBusMessage> CallManagerAsync(string member, string unit, CancellationToken ct, string signature, params object[] arguments)
    {
        try
        {
            return await _connection.CallMethodAsync(ManagerCall(member, signature, arguments), ct);
        }
        catch (DBusErrorException ex) when (ex.ErrorName == NoSuchUnitError)
        {
            throw new UnitNotFoundException(unit, ex);
        }
    }

    private async Task<string> GetUnitPropertyAsync(string unitPath, string property, CancellationToken ct)
    {
        var call = new MethodCall(ServiceName, unitPath, "org.freedesktop.DBus.Properties", "Get")
        {
            Signature = "ss",
            Arguments = [UnitInterface, property],
        };
        var reply = await _connection.CallMethodAsync(call, ct);
        return (string)((DBusVariant)reply.Body[0]).Value;
    }

    private void OnJobRemoved(DBusMessage signal)
    {
        // JobRemoved(u id, o job, s unit, s result)
        if (signal.Signature == "uoss")
        {
            _jobs.OnJobRemoved(((ObjectPath)signal.Body[1]).Value, (string)signal.Body[3]);
        }
    }
}
