namespace RollbackMesh.Transport;

/// <summary>The response stream of a server- or duplex-streaming handler.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>;
