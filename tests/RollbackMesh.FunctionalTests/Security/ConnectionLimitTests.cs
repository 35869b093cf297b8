using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using RollbackMesh.Coordinator.Hosting;
using Xunit;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>
/// The real coordinator over real TLS under a connection flood (issue 17 item 5): the per-address and total limits
/// close the surplus at once, a connection that never completes its TLS handshake is cut at the handshake timeout, and
/// one that completes it but opens no call is cut at the idle timeout. Loopback has every 127.x address, so a second
/// peer is a socket bound to 127.0.0.2. (Memory after a flood: Benchmarks.Transport 'flood'.)
/// </summary>
public sealed class ConnectionLimitTests
{
    private static readonly TimeSpan HeldFor = TimeSpan.FromSeconds(1.5);

    // A refusal is immediate; the margin is for a machine loaded by parallel test classes, not for the coordinator.
    private static readonly TimeSpan RefusedWithin = TimeSpan.FromSeconds(15);

    // The limit tests hold sockets that never start TLS; the default 10 s handshake timeout would cut them while a
    // loaded machine is still waiting for a refusal, and the test would read that as a wrong refusal.
    private static readonly TimeSpan HeldSocketsLive = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task PerPeerLimit_SurplusFromOneAddressClosed_OtherAddressesServed()
    {
        await using var coordinator = await SecureCoordinator.StartAsync(connections: new ConnectionLimits { MaxConnectionsPerPeer = 4, TlsHandshakeTimeout = HeldSocketsLive });
        var held = new List<Socket>();
        for (var i = 0; i < 4; i++)
        {
            held.Add(await ConnectAsync(coordinator, "127.0.0.1"));
        }

        using var surplus = await ConnectAsync(coordinator, "127.0.0.1");
        using var otherPeer = await ConnectAsync(coordinator, "127.0.0.2");

        Assert.True(await ClosedWithinAsync(surplus, RefusedWithin), "The fifth connection from 127.0.0.1 was not closed.");
        Assert.False(await ClosedWithinAsync(otherPeer, HeldFor), "A connection from 127.0.0.2 was closed although that address had none.");
        Assert.Contains("MaxConnectionsPerPeer", coordinator.Logs.AllText, StringComparison.Ordinal);
        foreach (var socket in held.Skip(1))
        {
            Assert.False(await ClosedWithinAsync(socket, TimeSpan.FromMilliseconds(100)), "A connection within the limit was closed.");
        }

        held.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task PerPeerLimit_ClosedConnectionFreesItsSlot_NextOneFromThatAddressServed()
    {
        await using var coordinator = await SecureCoordinator.StartAsync(connections: new ConnectionLimits { MaxConnectionsPerPeer = 2, TlsHandshakeTimeout = HeldSocketsLive });
        using var kept = await ConnectAsync(coordinator, "127.0.0.1");
        using (var surplus = await ConnectAsync(coordinator, "127.0.0.1"))
        using (var refused = await ConnectAsync(coordinator, "127.0.0.1"))
        {
            Assert.True(await ClosedWithinAsync(refused, RefusedWithin), "The third connection from 127.0.0.1 was not closed.");
        }

        // The limiter releases a slot when the coordinator sees the close; a refusal after that point would mean it
        // leaks, and an address that once hit its limit would stay locked out.
        Socket? next = null;
        var freed = false;
        for (var attempt = 0; attempt < 20 && !freed; attempt++)
        {
            next?.Dispose();
            next = await ConnectAsync(coordinator, "127.0.0.1");
            freed = !await ClosedWithinAsync(next, TimeSpan.FromMilliseconds(500));
        }

        using (next)
        {
            Assert.True(freed, "After a connection from 127.0.0.1 closed, a new one from it was still refused.");
            Assert.False(await ClosedWithinAsync(kept, TimeSpan.FromMilliseconds(100)), "The connection kept within the limit was closed.");
        }
    }

    [Fact]
    public async Task TotalLimit_SurplusAcrossAddressesClosed()
    {
        await using var coordinator = await SecureCoordinator.StartAsync(connections: new ConnectionLimits { MaxConnections = 4, MaxConnectionsPerPeer = 4, TlsHandshakeTimeout = HeldSocketsLive });
        var held = new List<Socket>
        {
            await ConnectAsync(coordinator, "127.0.0.1"),
            await ConnectAsync(coordinator, "127.0.0.1"),
            await ConnectAsync(coordinator, "127.0.0.2"),
            await ConnectAsync(coordinator, "127.0.0.3"),
        };
        using var surplus = await ConnectAsync(coordinator, "127.0.0.4");

        Assert.True(await ClosedWithinAsync(surplus, RefusedWithin), "The fifth connection in all was not closed.");
        foreach (var socket in held)
        {
            Assert.False(await ClosedWithinAsync(socket, TimeSpan.FromMilliseconds(300)), "A connection within the total was closed.");
            socket.Dispose();
        }
    }

    [Fact]
    public async Task SilentPeer_CutAtTheTlsHandshakeTimeout()
    {
        await using var coordinator = await SecureCoordinator.StartAsync(connections: new ConnectionLimits { TlsHandshakeTimeout = TimeSpan.FromSeconds(1) });
        using var silent = await ConnectAsync(coordinator, "127.0.0.1");
        var watch = Stopwatch.StartNew();

        Assert.True(await ClosedWithinAsync(silent, TimeSpan.FromSeconds(6)), "A peer that never sent a ClientHello was not cut.");
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task HandshakeWithoutCalls_CutAtTheIdleTimeout()
    {
        await using var coordinator = await SecureCoordinator.StartAsync(connections: new ConnectionLimits { IdleConnectionTimeout = TimeSpan.FromSeconds(1) });
        using var socket = await ConnectAsync(coordinator, "127.0.0.1");
        await using var tls = new SslStream(new NetworkStream(socket), leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
        });
        // The HTTP/2 client preface (RFC 9113 3.4) and an empty SETTINGS frame; then nothing.
        await tls.WriteAsync((byte[])[.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0]);
        var watch = Stopwatch.StartNew();

        var buffer = new byte[4096];
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        while (await tls.ReadAsync(buffer, giveUp.Token) > 0)
        {
            // SETTINGS, its ACK, then GOAWAY: read until the coordinator closes.
        }

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(6));
    }

    private static async Task<Socket> ConnectAsync(SecureCoordinator coordinator, string from)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from != "127.0.0.1")
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        }

        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, coordinator.Address.Port);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // On a loaded machine the coordinator's refusal (a reset) can arrive before the connect's completion is
            // read; the socket is then already closed, which ClosedWithinAsync reports.
        }

        return socket;
    }

    /// <summary>Whether the coordinator closes <paramref name="socket"/> (FIN or reset) within <paramref name="within"/>.</summary>
    private static async Task<bool> ClosedWithinAsync(Socket socket, TimeSpan within)
    {
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
