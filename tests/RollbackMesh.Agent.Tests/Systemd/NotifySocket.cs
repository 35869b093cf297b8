using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting.Systemd;

namespace RollbackMesh.Agent.Tests.Systemd;

/// <summary>A real unix datagram socket standing where systemd's notify socket would be.</summary>
internal sealed class NotifySocket : IDisposable
{
    private static readonly Lock EnvironmentLock = new();
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? _directory;

    private NotifySocket(string bindName, string environmentName, string? directory)
    {
        _directory = directory;
        _socket.Bind(new UnixDomainSocketEndPoint(bindName));
        EnvironmentValue = environmentName;
    }

    /// <summary>What $NOTIFY_SOCKET would hold.</summary>
    public string EnvironmentValue { get; }

    /// <summary>A socket at a file system path.</summary>
    public static NotifySocket AtPath()
    {
        var directory = Directory.CreateTempSubdirectory("rbm-notify-").FullName;
        var path = Path.Combine(directory, "notify");
        return new NotifySocket(path, path, directory);
    }

    /// <summary>A socket in the abstract namespace ('@name' in $NOTIFY_SOCKET).</summary>
    public static NotifySocket Abstract()
    {
        var name = "rbm-notify-test-" + Guid.NewGuid().ToString("N");
        return new NotifySocket("\0" + name, "@" + name, null);
    }

    /// <summary>
    /// Hosting.Systemd's notifier aimed at this socket. It reads $NOTIFY_SOCKET once, when constructed, so the variable
    /// is set only for that moment (the tests doing so run in <see cref="NotifySocketCollection"/>, alone).
    /// </summary>
    public SystemdNotifier CreateNotifier() => CreateNotifier(EnvironmentValue);

    /// <summary>The notifier for any $NOTIFY_SOCKET value; null means unset.</summary>
    public static SystemdNotifier CreateNotifier(string? notifySocket)
    {
        lock (EnvironmentLock)
        {
            var before = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", notifySocket);
            try
            {
                return new SystemdNotifier();
            }
            finally
            {
                Environment.SetEnvironmentVariable("NOTIFY_SOCKET", before);
            }
        }
    }

    /// <summary>Receives one datagram, failing after <paramref name="timeout"/>.</summary>
    public async Task<string> ReceiveAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        var count = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellation.Token);
        return Encoding.UTF8.GetString(buffer, 0, count);
    }

    /// <summary>Receives datagrams until one satisfies <paramref name="match"/>; returns everything received.</summary>
    public async Task<List<string>> ReceiveUntilAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var received = new List<string>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, "not received; got: " + string.Join(" | ", received));
            var message = await ReceiveAsync(left);
            received.Add(message);
            if (match(message))
            {
                return received;
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
