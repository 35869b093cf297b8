using Grpc.Core;
using Grpc.Net.Client;
using RollbackMesh.Agent.Connection;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Connection;

/// <summary>
/// A write that fails as CANCELLED because the coordinator already ended the call reports the coordinator's status
/// (seen in CI: a refused Hello retried once as a network blip before the agent read the refusal).
/// </summary>
public sealed class GrpcHubStreamTests
{
    [Fact]
    public async Task WriteAsync_CancelledWhileTheCallEndedWithARefusal_ThrowsTheRefusal()
    {
        var refusal = new Status(StatusCode.PermissionDenied, "This certificate identifies node 'n1'; it cannot say Hello as 'n2'.");
        using var stream = Stream(new FailingWriter(), () => refusal);

        var error = await Assert.ThrowsAsync<RpcException>(() => stream.WriteAsync(new AgentMessage(), CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("cannot say Hello", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_CancelledAndTheCallNeverEnds_StaysCancelled()
    {
        using var stream = Stream(new FailingWriter(), () => throw new InvalidOperationException("the call is still in progress"));

        var error = await Assert.ThrowsAsync<RpcException>(() => stream.WriteAsync(new AgentMessage(), CancellationToken.None));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    private static GrpcHubStream Stream(IClientStreamWriter<AgentMessage> writer, Func<Status> status)
    {
        var call = new AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage>(
            writer, new NoReplies(), Task.FromResult(new Metadata()), status, () => new Metadata(), () => { });
        return new GrpcHubStream(GrpcChannel.ForAddress("http://127.0.0.1:1"), call);
    }

    private sealed class FailingWriter : IClientStreamWriter<AgentMessage>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(AgentMessage message) => throw new RpcException(new Status(StatusCode.Cancelled, ""));

        public Task CompleteAsync() => Task.CompletedTask;
    }

    private sealed class NoReplies : IAsyncStreamReader<CoordinatorMessage>
    {
        public CoordinatorMessage Current => throw new InvalidOperationException();

        public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
