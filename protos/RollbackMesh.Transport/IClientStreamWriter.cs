namespace RollbackMesh.Transport;

/// <summary>The request stream of a client- or duplex-streaming call.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Half-closes the request stream: the server sees the end of its request messages.</summary>
    Task CompleteAsync();
}
