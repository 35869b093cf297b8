using Google.Protobuf;
using RollbackMesh.Transport.Tests.Infrastructure;
using RollbackMesh.Transport.Tests.Protos;

namespace RollbackMesh.Transport.Tests.Internal;

/// <summary>Malformed and unusual requests against the real server; after each, the same server keeps serving.</summary>
public sealed class ServerCallHandlerTests : IAsyncLifetime
{
    private static readonly string EchoPath = TestServiceMethods.Echo.FullName;
    private TestServer _server = null!;
    private RawGrpcClient _raw = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _raw = new RawGrpcClient(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task HandleAsync_WrongContentType_Http415()
    {
        var response = await _raw.SendAsync(EchoPath, Valid(), contentType: "application/json");

        Assert.Equal(System.Net.HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
        Assert.Contains("application/json", response.GrpcMessage, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task HandleAsync_BadCompressedFlag_InternalWithClearMessage()
    {
        var response = await _raw.SendAsync(EchoPath, RawGrpcClient.Frame(new TestRequest { Text = "x" }.ToByteArray(), compressedFlag: 7));

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
        Assert.Contains("compressed flag", response.GrpcMessage, StringComparison.OrdinalIgnoreCase);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task HandleAsync_CompressedMessageWithoutEncoding_Internal()
    {
        var response = await _raw.SendAsync(EchoPath, RawGrpcClient.Frame(new TestRequest { Text = "x" }.ToByteArray(), compressedFlag: 1));

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
        Assert.Contains("grpc-encoding", response.GrpcMessage, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task HandleAsync_TruncatedMessage_InternalIncompleteMessage()
    {
        var frame = Valid();

        var response = await _raw.SendAsync(EchoPath, frame[..^3]);

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
        Assert.Contains("Incomplete message", response.GrpcMessage, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task HandleAsync_InvalidProtobuf_InternalDeserializeFailure()
    {
        // Field 1 (string) claims 5 bytes but only 1 follows.
        var response = await _raw.SendAsync(EchoPath, RawGrpcClient.Frame([0x0A, 0x05, 0x41]));

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
        Assert.Contains("deserialize", response.GrpcMessage, StringComparison.OrdinalIgnoreCase);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task HandleAsync_TwoMessagesForUnary_Internal()
    {
        var response = await _raw.SendAsync(EchoPath, [.. Valid(), .. Valid()]);

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task HandleAsync_UnsupportedEncoding_Unimplemented()
    {
        var response = await _raw.SendAsync(EchoPath, Valid(), headers: new Dictionary<string, string> { ["grpc-encoding"] = "gzip" });

        Assert.Equal((int)StatusCode.Unimplemented, response.GrpcStatus);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task HandleAsync_GrpcTimeoutFromClientWithoutOwnTimer_ServerSendsDeadlineExceeded()
    {
        var body = RawGrpcClient.Frame(new TestRequest { Text = "raw-slow", DelayMs = 120_000 }.ToByteArray());

        var response = await _raw.SendAsync(EchoPath, body, headers: new Dictionary<string, string> { ["grpc-timeout"] = "500m" });

        Assert.Equal((int)StatusCode.DeadlineExceeded, response.GrpcStatus);
        await _server.Service.WhenCancelled("raw-slow").WaitAsync(TimeSpan.FromSeconds(30));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task HandleAsync_UnknownPath_TrailersOnlyUnimplemented()
    {
        var response = await _raw.SendAsync("/no.such.Service/Method", Valid());

        Assert.Equal(System.Net.HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal((int)StatusCode.Unimplemented, response.GrpcStatus);
        Assert.Equal(0, response.BodyLength);
    }

    private static byte[] Valid() => RawGrpcClient.Frame(new TestRequest { Text = "fine" }.ToByteArray());

    private async Task AssertStillServingAsync()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        var reply = await channel.UnaryAsync(TestServiceMethods.Echo, new TestRequest { Text = "after" });
        Assert.Equal("after", reply.Text);
        Assert.Empty(_server.Logs.Errors);
    }
}
