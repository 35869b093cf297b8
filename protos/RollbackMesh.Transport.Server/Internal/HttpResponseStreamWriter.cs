using Google.Protobuf;

namespace RollbackMesh.Transport.Internal;

/// <summary>The response stream of a server- or duplex-streaming handler.</summary>
internal sealed class HttpResponseStreamWriter<T>(HttpServerCallContext call) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return call.WriteMessageAsync(message, cancellationToken);
    }
}
