using Google.Protobuf;

namespace RollbackMesh.Transport.Internal;

/// <summary>The request stream of a client- or duplex-streaming handler, read from the HTTP/2 request body.</summary>
internal sealed class HttpRequestStreamReader<T>(HttpServerCallContext call, MessageParser<T> parser) : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private T? _current;
    private bool _finished;

    public T Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        if (_finished)
        {
            return false;
        }

        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken)
            : null;
        var token = linked?.Token ?? call.CancellationToken;
        var message = await MessageFraming.ReadMessageAsync(
            call.HttpContext.Request.BodyReader, parser, call.Options.MaxReceiveMessageSize, token).ConfigureAwait(false);
        if (message is null)
        {
            // A reset stream or an expired deadline can surface as a plain end of body; it is not a clean half-close.
            call.CancellationToken.ThrowIfCancellationRequested();
        }

        _current = message;
        _finished = message is null;
        return message is not null;
    }
}
