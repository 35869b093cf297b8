using Google.Protobuf;

namespace RollbackMesh.Transport.Internal;

/// <summary>The response stream of a server- or duplex-streaming client call.</summary>
internal sealed class ClientResponseStreamReader<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call) : IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private TResponse? _current;

    public TResponse Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        var message = await call.ReadNextAsync(cancellationToken).ConfigureAwait(false);
        if (message is not null)
        {
            _current = message;
            return true;
        }

        _current = null;
        call.ThrowIfFailed();
        return false;
    }
}
