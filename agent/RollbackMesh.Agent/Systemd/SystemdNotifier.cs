using System.Net.Sockets;
using System.Text;

namespace RollbackMesh.Agent.Systemd;

/// <summary>
/// The sd_notify protocol: newline-separated VAR=value assignments sent as one datagram to the unix socket named
/// by $NOTIFY_SOCKET (a path, or an abstract name written with a leading '@'). Without $NOTIFY_SOCKET (not started by
/// systemd with Type=notify) every call is a no-op.
/// </summary>
internal sealed class SystemdNotifier : ISystemdNotifier, IDisposable
{
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private readonly Lock _sync = new();
    private Socket? _socket;

    /// <summary>Creates a notifier for the socket named by <paramref name="notifySocket"/> (usually $NOTIFY_SOCKET).</summary>
    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        // An abstract socket's name starts with a NUL byte; systemd writes it with '@' in the environment.
        var name = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endPoint = new UnixDomainSocketEndPoint(name);
    }

    /// <summary>Creates a notifier from the process environment.</summary>
    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <inheritdoc />
    public bool IsEnabled => _endPoint is not null;

    /// <inheritdoc />
    public bool Notify(string state)
    {
        if (_endPoint is null)
        {
            return false;
        }

        var payload = Encoding.UTF8.GetBytes(state);
        lock (_sync)
        {
            try
            {
                _socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                _socket.SendTo(payload, SocketFlags.None, _endPoint);
                return true;
            }
            catch (SocketException)
            {
                // systemd may not be listening (e.g. the unit is not Type=notify any more): a lost notification
                // must not take the agent down. Recreate the socket next time.
                _socket?.Dispose();
                _socket = null;
                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_sync)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }
}
