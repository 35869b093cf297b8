using RollbackMesh.Transport.Internal;

namespace RollbackMesh.Transport;

/// <summary>A server-streaming call in progress. Dispose it: that cancels the call if it has not finished.</summary>
/// <typeparam name="TResponse">The response message.</typeparam>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly IGrpcCallState _call;

    internal AsyncServerStreamingCall(IGrpcCallState call, IAsyncStreamReader<TResponse> responseStream)
    {
        _call = call;
        ResponseStream = responseStream;
    }

    /// <summary>The responses; MoveNext throws <see cref="RpcException"/> when the call ends with a non-OK status.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers, once received.</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>The final status.</summary>
    /// <exception cref="InvalidOperationException">The call has not finished.</exception>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailers received with the status.</summary>
    /// <exception cref="InvalidOperationException">The call has not finished.</exception>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Cancels the call (RST_STREAM) if it has not finished and releases its resources.</summary>
    public void Dispose() => _call.Dispose();
}
