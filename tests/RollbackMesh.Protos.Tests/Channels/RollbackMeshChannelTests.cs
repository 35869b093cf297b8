using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using RollbackMesh.Protos.Channels;
using RollbackMesh.Protos.Tests.Infrastructure;
using RollbackMesh.TransportTest;

namespace RollbackMesh.Protos.Tests.Channels;

/// <summary>
/// The channel the agent and the CLI dial with (<see cref="RollbackMeshChannel"/>) against an independent server:
/// Debian's python3-grpcio (Interop/python/test_server.py), over h2c unless a test says otherwise.
/// </summary>
public sealed class RollbackMeshChannelTests : IAsyncLifetime
{
    private const int Limit = 4 * Sized.Mib;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private PythonProcess _python = null!;
    private Uri _address = null!;
    private GrpcChannel _channel = null!;
    private TestService.TestServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        _python = await PythonPeer.StartAsync("test_server.py");
        _address = new Uri($"http://127.0.0.1:{await ListeningPortAsync(_python)}");
        _channel = RollbackMeshChannel.Create(_address);
        _client = new TestService.TestServiceClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _python.DisposeAsync();
    }

    [Fact]
    public async Task UnaryAsync_PythonServer_ReturnsReply()
    {
        var reply = await _client.EchoAsync(new TestRequest { Text = "hello" });

        Assert.Equal("hello", reply.Text);
    }

    [Fact]
    public async Task ServerStreaming_PythonServer_MetadataRoundTripsAsciiAndBinary()
    {
        var headers = new Metadata { { "x-echo-text", "plain ascii" }, { "x-echo-data-bin", new byte[] { 0, 1, 2, 250, 255 } } };
        using var call = _client.Countdown(new TestRequest { Count = 2 }, new CallOptions(headers));

        var responseHeaders = await call.ResponseHeadersAsync;
        var count = 0;
        while (await call.ResponseStream.MoveNext())
        {
            count++;
        }

        Assert.Equal(2, count);
        Assert.Equal("plain ascii", responseHeaders.GetValue("x-echo-text"));
        Assert.Equal(new byte[] { 0, 1, 2, 250, 255 }, responseHeaders.GetValueBytes("x-echo-data-bin"));
        Assert.Equal("plain ascii", call.GetTrailers().GetValue("x-echo-text"));
        Assert.Equal(new byte[] { 0, 1, 2, 250, 255 }, call.GetTrailers().GetValueBytes("x-echo-data-bin"));
    }

    [Fact]
    public async Task ClientStreaming_PythonServer_SeesEveryRequest()
    {
        using var call = _client.Collect();
        foreach (var text in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(new TestRequest { Text = text });
        }

        await call.RequestStream.CompleteAsync();

        Assert.Equal("a,b,c", (await call.ResponseAsync).Text);
    }

    [Fact]
    public async Task DuplexStreaming_PythonServer_InterleavedOverTime()
    {
        using var call = _client.Chat();
        for (var i = 0; i < 5; i++)
        {
            await call.RequestStream.WriteAsync(new TestRequest { Text = "m" + i });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal("m" + i, call.ResponseStream.Current.Text);
            await Task.Delay(100);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_PythonServerAborts_TrailersOnlyStatusAndDecodedMessage()
    {
        const string detail = "no such node: n\u00f8de-7 \u2603 100%\r\nend";
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _client.EchoAsync(new TestRequest { FailCode = (int)StatusCode.NotFound, FailMessage = detail }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(detail, ex.Status.Detail);
    }

    [Fact]
    public async Task ServerStreaming_PythonServerAbortsMidStream_MessagesThenStatus()
    {
        using var call = _client.Countdown(new TestRequest { Count = 3, FailCode = (int)StatusCode.FailedPrecondition, FailMessage = "stopped" });
        var received = 0;
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
                received++;
            }
        });

        Assert.Equal(3, received);
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("stopped", ex.Status.Detail);
    }

    [Fact]
    public async Task UnaryAsync_Deadline_PythonServerSeesTimeoutAndCallFailsDeadlineExceeded()
    {
        var reply = await _client.EchoAsync(new TestRequest { Text = "t" }, deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.InRange(reply.TimeRemaining, 0.001, 30.0);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.EchoAsync(new TestRequest { Text = "slow", DelayMs = 120_000 }, deadline: DateTime.UtcNow.AddSeconds(3)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await _python.WaitForLineAsync(l => l == "CANCELLED slow", Patience);
    }

    [Fact]
    public async Task DuplexStreaming_ClientCancels_PythonServerSeesCancellation()
    {
        using var cts = new CancellationTokenSource();
        using var call = _client.Chat(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new TestRequest { Text = "cancel-me" });
        Assert.True(await call.ResponseStream.MoveNext());

        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await _python.WaitForLineAsync(l => l == "CANCELLED chat", Patience);
    }

    [Fact]
    public async Task UnaryAsync_PythonServerMessagesAtLimit_Succeed()
    {
        var request = Sized.Pad(new TestRequest { ReplySize = Limit }, Limit, (r, p) => r.Payload = p);

        var reply = await _client.EchoAsync(request);

        Assert.Equal(request.Payload.Length, reply.PayloadSize);
        Assert.Equal(Limit, reply.CalculateSize());
    }

    [Fact]
    public async Task UnaryAsync_RequestOverPythonServerLimit_ResourceExhausted()
    {
        using var bigSender = RollbackMeshChannel.Create(_address, new ChannelSettings { MaxSendMessageSize = 8 * Sized.Mib });
        var request = Sized.Pad(new TestRequest(), Limit + 1, (r, p) => r.Payload = p);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(bigSender).EchoAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_PythonReplyOverClientLimit_ResourceExhausted()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _client.EchoAsync(new TestRequest { ReplySize = Limit + 1 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("still-ok", (await _client.EchoAsync(new TestRequest { Text = "still-ok" }).ResponseAsync).Text);
    }

    [Fact]
    public async Task UnaryAsync_MethodPythonServerLacks_Unimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.MissingAsync(new TestRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_PythonServerOverTls_TrustsPinnedSelfSignedCertificate()
    {
        using var certificate = TestCertificates.Create();
        var directory = Directory.CreateTempSubdirectory("rollbackmesh-tls-").FullName;
        var (certPath, keyPath) = TestCertificates.WritePem(certificate, directory);
        await using var python = await PythonPeer.StartAsync("test_server.py", "--tls", certPath, keyPath);
        var port = await ListeningPortAsync(python);
        using var channel = RollbackMeshChannel.Create(new Uri($"https://localhost:{port}"), new ChannelSettings { PinnedCa = certificate });

        var reply = await new TestService.TestServiceClient(channel).EchoAsync(new TestRequest { Text = "over tls" });

        Assert.Equal("over tls", reply.Text);
    }

    [Fact]
    public async Task UnaryAsync_PythonServerCertificateFromAnotherCa_RefusedBeforeSending()
    {
        using var certificate = TestCertificates.Create();
        using var otherCa = TestCertificates.Create("other-ca");
        var (certPath, keyPath) = TestCertificates.WritePem(certificate, Directory.CreateTempSubdirectory("rollbackmesh-tls-").FullName);
        await using var python = await PythonPeer.StartAsync("test_server.py", "--tls", certPath, keyPath);
        var port = await ListeningPortAsync(python);
        using var channel = RollbackMeshChannel.Create(new Uri($"https://localhost:{port}"), new ChannelSettings { PinnedCa = otherCa });

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            new TestService.TestServiceClient(channel).EchoAsync(new TestRequest { Text = "over tls" }).ResponseAsync);

        // grpc-dotnet reports a TLS handshake the client refused as INTERNAL (a refused connection is UNAVAILABLE).
        Assert.Contains("RemoteCertificateValidationCallback", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnaryAsync_RequestOverClientSendLimit_ResourceExhaustedAndChannelStillWorks()
    {
        var request = Sized.Pad(new TestRequest { Text = "never-sent" }, Limit + 1, (r, p) => r.Payload = p);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.EchoAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("after", (await _client.EchoAsync(new TestRequest { Text = "after" })).Text);
    }

    [Fact]
    public async Task UnaryAsync_DeadlineAlreadyPassed_DeadlineExceeded()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _client.EchoAsync(new TestRequest(), deadline: DateTime.UtcNow.AddSeconds(-1)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task KeepAlive_PythonServerFreezes_ClientDetectsDeadPeerAndStreamFails()
    {
        using var proxy = new FreezableProxy(_address.Port);
        using var channel = RollbackMeshChannel.Create(new Uri($"http://127.0.0.1:{proxy.Port}"), new ChannelSettings
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(2),
        });
        using var call = new TestService.TestServiceClient(channel).Chat();
        await call.RequestStream.WriteAsync(new TestRequest { Text = "alive" });
        Assert.True(await call.ResponseStream.MoveNext());

        proxy.Freeze();

        // Nothing else would end this read: the server never answers and the call has no deadline.
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().WaitAsync(Patience));
        Assert.Contains("ping", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:1")]
    [InlineData("/relative")]
    public void Create_NotHttpOrHttps_Throws(string address) =>
        Assert.Throws<ArgumentException>(() => RollbackMeshChannel.Create(new Uri(address, UriKind.RelativeOrAbsolute)));

    private static async Task<int> ListeningPortAsync(PythonProcess python)
    {
        var line = await python.WaitForLineAsync(l => l.StartsWith("LISTENING ", StringComparison.Ordinal), Patience);
        return int.Parse(line["LISTENING ".Length..], CultureInfo.InvariantCulture);
    }
}
