namespace RollbackMesh.Transport.Internal;

/// <summary>The request stream of a call that ended before it started (deadline passed, cancelled, message too large).</summary>
internal sealed class FinishedCallWriter<TRequest>(IGrpcCallState call) : IClientStreamWriter<TRequest>
{
    public Task WriteAsync(TRequest message, CancellationToken cancellationToken = default) =>
        Task.FromException(new RpcException(call.GetStatus(), call.GetTrailers()));

    public Task CompleteAsync() => Task.CompletedTask;
}
