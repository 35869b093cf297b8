using System.Net;

namespace RollbackMesh.Transport.Internal;

/// <summary>
/// A request body that stays open while the caller writes messages: SocketsHttpHandler hands out the stream through
/// <see cref="StreamTask"/> and the body ends (END_STREAM) only when <see cref="Complete"/> is called.
/// </summary>
internal sealed class PushStreamContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Stream> StreamTask => _stream.Task;

    /// <summary>Ends the request body.</summary>
    public void Complete() => _completed.TrySetResult();

    /// <summary>
    /// The call finished: writers waiting for the stream get <paramref name="error"/>. After OK the body just ends;
    /// after a failure it is aborted, so the server sees a reset (CANCELLED), never a clean half-close.
    /// </summary>
    public void Abort(RpcException error)
    {
        if (_stream.TrySetException(error))
        {
            _ = _stream.Task.Exception; // Observed here: nobody may be waiting for it.
        }

        if (error.StatusCode == StatusCode.OK)
        {
            _completed.TrySetResult();
        }
        else if (_completed.TrySetException(error))
        {
            _ = _completed.Task.Exception;
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        await _completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
