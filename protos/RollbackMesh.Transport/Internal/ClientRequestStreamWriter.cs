using System.Buffers;
using Google.Protobuf;

namespace RollbackMesh.Transport.Internal;

/// <summary>The request stream of a client- or duplex-streaming call; a lock keeps concurrent writes whole.</summary>
internal sealed class ClientRequestStreamWriter<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call, PushStreamContent content)
    : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private bool _completed;

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                throw new InvalidOperationException("The request stream has already been completed.");
            }

            call.ThrowIfFinished();
            _buffer.ResetWrittenCount();
            MessageFraming.WriteMessage(_buffer, message, call.MaxSendMessageSize);
            try
            {
                var stream = await content.StreamTask.WaitAsync(cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not RpcException && !cancellationToken.IsCancellationRequested)
            {
                // The stream broke because the call ended (status received, reset, deadline): report that.
                throw call.ToRpcException(ex);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task CompleteAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _completed = true;
            content.Complete();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
