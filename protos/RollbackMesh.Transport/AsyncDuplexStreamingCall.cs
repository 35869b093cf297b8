using RollbackMesh.Transport.Internal;

namespace RollbackMesh.Transport;

/// <summary>A bidirectional-streaming call in progress. Dispose it: that cancels the call if it has not finished.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly IGrpcCallState _call;

    internal AsyncDuplexStreamingCall(
        IGrpcCallState call, IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream)
    {
        _call = call;
        RequestStream = requestStream;
        ResponseStream = responseStream;
    }

    /// <summary>The requests; writes are serialised. Call <see cref="IClientStreamWriter{T}.CompleteAsync"/> to half-close.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

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
