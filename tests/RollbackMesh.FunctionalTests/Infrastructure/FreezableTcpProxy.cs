using System.Net;
using System.Net.Sockets;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder between an agent and the coordinator that can be frozen: while frozen it forwards
/// nothing in either direction (bytes already read wait in its buffers, the rest in the kernel's, so both ends see a
/// silent peer, as in a partition, not a reset), accepts new connections but does not dial the target for them, and
/// holds back closes. <see cref="Release"/> lets everything held go on in order.
/// </summary>
internal sealed class FreezableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private TaskCompletionSource _open = Opened();
    private int _accepted;

    private FreezableTcpProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The address to give the agent instead of the coordinator's (http://127.0.0.1:PORT).</summary>
    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Connections accepted so far (an agent that gave up on a frozen connection dials a new one).</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Starts forwarding 127.0.0.1:PORT to <paramref name="target"/> (a loopback http:// URL).</summary>
    public static FreezableTcpProxy Start(Uri target) => new(new IPEndPoint(IPAddress.Loopback, target.Port));

    /// <summary>Stops forwarding in both directions until <see cref="Release"/>.</summary>
    public void Freeze()
    {
        lock (_lock)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Forwards again, starting with what was held.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _open.TrySetResult();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Release();
        _listener.Stop();
        lock (_lock)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private Task WhenOpen()
    {
        lock (_lock)
        {
            return _open.Task.WaitAsync(_stop.Token);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            Track(client);
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Track(upstream);
        try
        {
            client.NoDelay = true;
            await WhenOpen();
            await upstream.ConnectAsync(_target, _stop.Token);
            var toTarget = PumpAsync(client, upstream);
            var toClient = PumpAsync(upstream, client);
            // A half-close is forwarded and the other direction goes on; a reset ends both.
            var first = await Task.WhenAny(toTarget, toClient);
            if (!first.IsCompletedSuccessfully)
            {
                client.Dispose();
                upstream.Dispose();
            }

            await Task.WhenAll(toTarget, toClient);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away, or the proxy is stopping: close both ends.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>, each chunk (and the final close) only while open.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            await WhenOpen();
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }

            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
        }
    }

    private void Track(Socket socket)
    {
        lock (_lock)
        {
            _sockets.RemoveAll(s => s.SafeHandle.IsClosed);
            _sockets.Add(socket);
        }
    }
}
