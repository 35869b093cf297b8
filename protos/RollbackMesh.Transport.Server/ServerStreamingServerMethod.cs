namespace RollbackMesh.Transport;

/// <summary>Handles a server-streaming call: one request, responses written to <paramref name="responseStream"/>.</summary>
public delegate Task ServerStreamingServerMethod<TRequest, TResponse>(
    TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
