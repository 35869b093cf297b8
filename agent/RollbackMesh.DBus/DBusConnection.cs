using System.Collections.Concurrent;
using System.Net.Sockets;
using RollbackMesh.DBus.Protocol;

namespace RollbackMesh.DBus;

/// <summary>
/// A client connection to a D-Bus message bus over a unix socket. One loop reads and dispatches every incoming
/// message; sends are serialised by a lock so messages never interleave on the socket.
/// </summary>
public sealed partial class DBusConnection : IAsyncDisposable
{
    /// <summary>Well-known name, path and interface of the bus daemon itself.</summary>
    public const string BusName = "org.freedesktop.DBus";

    private const string BusPath = "/org/freedesktop/DBus";

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<DBusMessage>> _pendingCalls = new();
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _lastSerial; // guarded by _writeLock
    private Exception? _closeReason;
    private Task _readLoop = Task.CompletedTask;

    private DBusConnection(Socket socket, NetworkStream stream, string serverGuid)
    {
        _socket = socket;
        _stream = stream;
        ServerGuid = serverGuid;
    }

    /// <summary>The unique name the bus assigned in reply to Hello, e.g. <c>:1.42</c>.</summary>
    public string UniqueName { get; private set; } = "";

    /// <summary>The server GUID from the authentication handshake.</summary>
    public string ServerGuid { get; }

    /// <summary>Completes when the connection closes: normally after disposal, faulted if the bus or the socket failed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Connects to the first reachable entry of <paramref name="address"/> (e.g. <c>unix:path=/run/dbus/system_bus_socket</c>
    /// or <c>unix:abstract=name</c>), authenticates with SASL EXTERNAL and registers with Hello.
    /// </summary>
    public static async Task<DBusConnection> ConnectAsync(string address, CancellationToken ct)
    {
        var uid = SaslExternalAuthenticator.GetEffectiveUid();
        var failures = new List<Exception>();
        foreach (var endpoint in DBusAddress.Parse(address))
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(endpoint, ct);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                failures.Add(ex);
                continue;
            }

            var stream = new NetworkStream(socket, ownsSocket: true);
            string guid;
            try
            {
                guid = await SaslExternalAuthenticator.AuthenticateAsync(stream, uid, ct);
            }
            catch
            {
                await stream.DisposeAsync();
                throw;
            }

            var connection = new DBusConnection(socket, stream, guid);
            try
            {
                connection._readLoop = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
                var reply = await connection.CallMethodAsync(BusCall("Hello"), ct);
                connection.UniqueName = (string)reply.Body[0];
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        throw new IOException($"Could not connect to the D-Bus address '{address}'.", new AggregateException(failures));
    }

    /// <summary>
    /// Calls a method and returns its reply. An error reply throws <see cref="DBusErrorException"/>; a closed
    /// connection throws <see cref="IOException"/> (or <see cref="ObjectDisposedException"/> after disposal).
    /// </summary>
    public async Task<DBusMessage> CallMethodAsync(MethodCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Flags.HasFlag(MessageFlags.NoReplyExpected))
        {
            throw new ArgumentException("Use a reply-less send for NoReplyExpected calls.", nameof(call));
        }

        var reply = new TaskCompletionSource<DBusMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serial = await SendAsync(call.ToMessage(), reply, ct);
        using (ct.UnsafeRegister(_ => CancelCall(serial, reply, ct), null))
        {
            var message = await reply.Task;
            return message.Type == MessageType.Error ? throw DBusErrorException.FromMessage(message) : message;
        }
    }

    /// <summary>Emits a signal (broadcast unless <paramref name="destination"/> is given).</summary>
    public async Task EmitSignalAsync(
        string path, string @interface, string member, string signature, IReadOnlyList<object> arguments,
        CancellationToken ct, string? destination = null)
    {
        var signal = new DBusMessage
        {
            Type = MessageType.Signal,
            Path = path,
            Interface = @interface,
            Member = member,
            Destination = destination,
            Signature = signature,
            Body = arguments,
        };
        await SendAsync(signal, null, ct);
    }

    /// <summary>Closes the socket and fails every call still waiting for a reply.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposeCts.IsCancellationRequested)
        {
            return;
        }

        Close(new ObjectDisposedException(nameof(DBusConnection)));
        await _disposeCts.CancelAsync();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already disconnected: nothing left to shut down.
        }

        await _readLoop;
        await _stream.DisposeAsync();
        _disposeCts.Dispose();
    }

    internal static MethodCall BusCall(string member, string signature = "", params object[] arguments) =>
        new(BusName, BusPath, BusName, member) { Signature = signature, Arguments = arguments };

    /// <summary>Assigns the serial, registers the reply waiter, then writes, all under the write lock.</summary>
    internal async Task<uint> SendAsync(DBusMessage message, TaskCompletionSource<DBusMessage>? reply, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        uint serial = 0;
        try
        {
            ThrowIfClosed();
            serial = ++_lastSerial == 0 ? ++_lastSerial : _lastSerial;
            var bytes = MessageSerializer.Serialize(message with { Serial = serial });
            if (reply is not null)
            {
                _pendingCalls[serial] = reply;
                // Close() may have run between the check above and the registration; it would have missed us.
                ThrowIfClosed();
            }

            // Not cancellable by the caller: a half-written message would corrupt the stream for everyone.
            await _stream.WriteAsync(bytes, _disposeCts.Token);
            return serial;
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            _pendingCalls.TryRemove(serial, out _);
            Close(ex);
            throw _closeReason is ObjectDisposedException disposed ? disposed : new IOException("D-Bus connection closed.", _closeReason);
        }
        catch
        {
            _pendingCalls.TryRemove(serial, out _);
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void CancelCall(uint serial, TaskCompletionSource<DBusMessage> reply, CancellationToken ct)
    {
        _pendingCalls.TryRemove(serial, out _);
        reply.TrySetCanceled(ct);
    }

    private void ThrowIfClosed()
    {
        var reason = Volatile.Read(ref _closeReason);
        if (reason is ObjectDisposedException disposed)
        {
            throw disposed;
        }

        if (reason is not null)
        {
            throw new IOException("D-Bus connection closed.", reason);
        }
    }
}
