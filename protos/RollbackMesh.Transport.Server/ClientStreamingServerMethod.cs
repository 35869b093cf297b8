namespace RollbackMesh.Transport;

/// <summary>Handles a client-streaming call: requests read from <paramref name="requestStream"/>, one response.</summary>
public delegate Task<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(
    IAsyncStreamReader<TRequest> requestStream, ServerCallContext context);
