using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using RollbackMesh.Protos.Channels;
using RollbackMesh.Protos.Tests.Infrastructure;
using RollbackMesh.TransportTest;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Hosting;

/// <summary>
/// The coordinator's gRPC server configuration (<c>AddCoordinatorGrpc</c> on Kestrel, h2c) against the agent's and
/// CLI's channel (<see cref="RollbackMeshChannel"/>): call shapes, errors, deadlines and cancellation both ways, the
/// 4 MiB limits both ways, idle streams.
/// </summary>
public sealed class GrpcServiceCollectionExtensionsTests : IAsyncLifetime
{
    private const int Limit = 4 * Sized.Mib;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private GrpcTestServer _server = null!;
    private GrpcChannel _channel = null!;
    private TestService.TestServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await GrpcTestServer.StartAsync();
        _channel = RollbackMeshChannel.Create(_server.Address);
        _client = new TestService.TestServiceClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task UnaryAsync_Echo_ReturnsReplyHeadersAndTrailers()
    {
        var headers = new Metadata { { "x-echo-text", "plain ascii" }, { "x-echo-data-bin", new byte[] { 0, 1, 2, 250, 255 } } };
        var reply = await _client.EchoAsync(new TestRequest { Text = "hello" }, new CallOptions(headers));

        Assert.Equal("hello", reply.Text);
        Assert.Equal("plain ascii", _server.Service.LastRequestHeaders!.GetValue("x-echo-text"));
        Assert.Equal(new byte[] { 0, 1, 2, 250, 255 }, _server.Service.LastRequestHeaders.GetValueBytes("x-echo-data-bin"));
        Assert.Empty(_server.Logs.Errors);
    }

    [Fact]
    public async Task ServerStreaming_CustomMetadata_HeadersAndTrailersCarryAsciiAndBinary()
    {
        var headers = new Metadata { { "x-echo-text", "v1" }, { "x-echo-data-bin", new byte[] { 0xde, 0xad, 0, 0xff } } };
        using var call = _client.Countdown(new TestRequest { Count = 1 }, new CallOptions(headers));

        var responseHeaders = await call.ResponseHeadersAsync;
        Assert.Equal("v1", responseHeaders.GetValue("x-echo-text"));
        Assert.Equal(new byte[] { 0xde, 0xad, 0, 0xff }, responseHeaders.GetValueBytes("x-echo-data-bin"));
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal("v1", call.GetTrailers().GetValue("x-echo-text"));
        Assert.Equal(new byte[] { 0xde, 0xad, 0, 0xff }, call.GetTrailers().GetValueBytes("x-echo-data-bin"));
    }

    [Fact]
    public async Task ServerStreaming_Countdown_ReturnsAllRepliesThenOk()
    {
        using var call = _client.Countdown(new TestRequest { Text = "c", Count = 5 });
        var indexes = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            indexes.Add(reply.Index);
        }

        Assert.Equal([0, 1, 2, 3, 4], indexes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ClientStreaming_Collect_ServerSeesEveryRequest()
    {
        using var call = _client.Collect();
        foreach (var text in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(new TestRequest { Text = text });
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call;

        Assert.Equal("a,b,c", reply.Text);
        Assert.Equal(3, reply.Index);
    }

    [Fact]
    public async Task DuplexStreaming_InterleavedOverTime_EachReplyArrivesBeforeNextRequest()
    {
        using var call = _client.Chat();
        for (var i = 0; i < 5; i++)
        {
            await call.RequestStream.WriteAsync(new TestRequest { Text = "m" + i });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal("m" + i, call.ResponseStream.Current.Text);
            Assert.Equal(i, call.ResponseStream.Current.Index);
            await Task.Delay(50);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task DuplexStreaming_LargeMessagesWhileReading_ArriveWholeAndInOrder()
    {
        using var call = _client.Chat();
        var payload = ByteString.CopyFrom(new byte[20_000]);
        var reading = Task.Run(async () =>
        {
            var texts = new List<string>();
            while (await call.ResponseStream.MoveNext())
            {
                Assert.Equal(20_000, call.ResponseStream.Current.PayloadSize);
                texts.Add(call.ResponseStream.Current.Text);
            }

            return texts;
        });
        for (var i = 0; i < 200; i++)
        {
            await call.RequestStream.WriteAsync(new TestRequest { Text = "m" + i, Payload = payload });
        }

        await call.RequestStream.CompleteAsync();

        var received = await reading.WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => "m" + i), received);
    }

    [Fact]
    public async Task UnaryAsync_HandlerThrowsRpcException_TrailersOnlyStatusWithPercentDecodedMessage()
    {
        const string detail = "no such node: n\u00f8de-7 \u2603 100%\r\nend";
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _client.EchoAsync(new TestRequest { FailCode = (int)StatusCode.NotFound, FailMessage = detail }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(detail, ex.Status.Detail);
    }

    [Fact]
    public async Task ServerStreaming_ErrorAfterMessages_MoveNextThrowsWithStatus()
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
        Assert.Equal("stopped", call.GetStatus().Detail);
    }

    [Fact]
    public async Task UnaryAsync_HandlerThrowsUnexpectedException_UnknownWithoutInternals()
    {
        var request = new TestRequest { Text = GrpcTestService.UnexpectedFailure + "secret internal detail" };

        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.EchoAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.DoesNotContain("secret", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(_server.Logs.Errors, e => e.Contains("secret internal detail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnaryAsync_DeadlinePasses_ClientGetsDeadlineExceededAndServerTokenFires()
    {
        // 3 s, not less: the handler must have started before the deadline for its token to fire (on two busy cores a
        // 500 ms deadline could pass before the request reached the server at all).
        var request = new TestRequest { Text = "slow-unary", DelayMs = 120_000 };
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _client.EchoAsync(request, deadline: DateTime.UtcNow.AddSeconds(3)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await _server.Service.WhenCancelled("slow-unary").WaitAsync(Patience);
    }

    [Fact]
    public async Task DuplexStreaming_DeadlineDuringStream_DeadlineExceededAndServerTokenFires()
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        using var call = _client.Chat(deadline: deadline);
        await call.RequestStream.WriteAsync(new TestRequest { Text = "first" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.InRange(call.ResponseStream.Current.TimeRemaining, 0.0, 3.0);

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await _server.Service.WhenCancelled("first").WaitAsync(Patience).ContinueWith(
            t => Assert.True(t.IsCompletedSuccessfully, $"server: {_server.Service.LastChatException} ended normally: {_server.Service.ChatEndedNormally}"));
    }

    [Fact]
    public async Task UnaryAsync_DeadlineAlreadyPassed_FailsWithoutSending()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _client.EchoAsync(new TestRequest(), deadline: DateTime.UtcNow.AddSeconds(-1)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task DuplexStreaming_ClientCancels_ClientGetsCancelledAndServerTokenFires()
    {
        using var cts = new CancellationTokenSource();
        using var call = _client.Chat(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new TestRequest { Text = "cancel-me" });
        Assert.True(await call.ResponseStream.MoveNext());

        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await _server.Service.WhenCancelled("cancel-me").WaitAsync(Patience).ContinueWith(
            t => Assert.True(t.IsCompletedSuccessfully, "server: " + _server.Service.LastChatException));
    }

    [Fact]
    public async Task Dispose_UnfinishedCall_ResetsStreamAndServerSeesCancellation()
    {
        var call = _client.Chat();
        await call.RequestStream.WriteAsync(new TestRequest { Text = "disposed" });
        Assert.True(await call.ResponseStream.MoveNext());

        call.Dispose();

        await _server.Service.WhenCancelled("disposed").WaitAsync(Patience);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_MessagesJustUnderLimit_SucceedBothWays()
    {
        var request = Sized.Pad(new TestRequest { ReplySize = Limit }, Limit, (r, p) => r.Payload = p);
        var reply = await _client.EchoAsync(request);

        Assert.Equal(request.Payload.Length, reply.PayloadSize);
        Assert.Equal(Limit, reply.CalculateSize());
    }

    [Fact]
    public async Task UnaryAsync_RequestJustOverServerLimit_ResourceExhausted()
    {
        using var bigSender = RollbackMeshChannel.Create(_server.Address, new ChannelSettings { MaxSendMessageSize = 8 * Sized.Mib });
        var request = Sized.Pad(new TestRequest(), Limit + 1, (r, p) => r.Payload = p);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(bigSender).EchoAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("ok", (await _client.EchoAsync(new TestRequest { Text = "ok" }).ResponseAsync).Text);
    }

    [Fact]
    public async Task UnaryAsync_RequestOverClientSendLimit_ResourceExhaustedBeforeSending()
    {
        var request = Sized.Pad(new TestRequest { Text = "never-sent" }, Limit + 1, (r, p) => r.Payload = p);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.EchoAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Null(_server.Service.LastContext);
    }

    [Fact]
    public async Task UnaryAsync_ReplyOverClientReceiveLimit_ResourceExhausted()
    {
        var server = await GrpcTestServer.StartAsync(grpc: o => o.MaxSendMessageSize = 8 * Sized.Mib);
        await using var _ = server;
        using var channel = RollbackMeshChannel.Create(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            new TestService.TestServiceClient(channel).EchoAsync(new TestRequest { ReplySize = Limit + 1 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_ReplyOverServerSendLimit_ResourceExhausted()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _client.EchoAsync(new TestRequest { ReplySize = Limit + 1 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_UnknownMethod_Unimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.MissingAsync(new TestRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task DuplexStreaming_IdleLongerThanKestrelBodyRateGrace_StreamStaysUsable()
    {
        // Kestrel's default MinRequestBodyDataRate cuts a body that is idle past its 5 s grace period.
        using var call = _client.Chat();
        await call.RequestStream.WriteAsync(new TestRequest { Text = "before" });
        Assert.True(await call.ResponseStream.MoveNext());

        await Task.Delay(TimeSpan.FromSeconds(8));

        await call.RequestStream.WriteAsync(new TestRequest { Text = "after" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal("after", call.ResponseStream.Current.Text);
    }
}
