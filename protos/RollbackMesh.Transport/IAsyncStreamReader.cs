namespace RollbackMesh.Transport;

/// <summary>Reads a stream of messages, one at a time.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Advances to the next message; false at the end of the stream.</summary>
    /// <exception cref="RpcException">The call ended with a non-OK status.</exception>
    Task<bool> MoveNext(CancellationToken cancellationToken = default);
}
