namespace RollbackMesh.Transport;

/// <summary>Writes a stream of messages. Concurrent writes are serialised, never interleaved on the wire.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Writes one message and flushes it.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
