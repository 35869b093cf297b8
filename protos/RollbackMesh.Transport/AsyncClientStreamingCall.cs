using RollbackMesh.Transport.Internal;

namespace RollbackMesh.Transport;

/// <summary>A client-streaming call in progress. Dispose it: that cancels the call if it has not finished.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly IGrpcCallState _call;
    private readonly Lazy<Task<TResponse>> _response;

    internal AsyncClientStreamingCall(IGrpcCallState call, IClientStreamWriter<TRequest> requestStream, Func<Task<TResponse>> readResponse)
    {
        _call = call;
        RequestStream = requestStream;
        _response = new Lazy<Task<TResponse>>(readResponse);
    }

    /// <summary>The requests; call <see cref="IClientStreamWriter{T}.CompleteAsync"/> when done.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The single response; faults with <see cref="RpcException"/> on a non-OK status.</summary>
    public Task<TResponse> ResponseAsync => _response.Value;

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
