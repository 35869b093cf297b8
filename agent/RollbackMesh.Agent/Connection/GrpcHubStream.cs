using Grpc.Core;
using Grpc.Net.Client;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>An <see cref="IHubStream"/> over a grpc-dotnet duplex call; owns the call, its channel and the certificates it uses.</summary>
internal sealed class GrpcHubStream : IHubStream
{
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> _call;
    private readonly IDisposable[] _owned;

    /// <summary>Wraps <paramref name="call"/>, which runs on <paramref name="channel"/>; disposes <paramref name="owned"/> with it.</summary>
    public GrpcHubStream(GrpcChannel channel, AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call, params IDisposable[] owned)
    {
        _channel = channel;
        _call = call;
        _owned = owned;
    }

    /// <inheritdoc />
    public Task WaitConnectedAsync(CancellationToken cancellationToken) => _call.ResponseHeadersAsync.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public Task WriteAsync(AgentMessage message, CancellationToken cancellationToken) =>
        _call.RequestStream.WriteAsync(message, cancellationToken);

    /// <inheritdoc />
    public Task CompleteAsync() => _call.RequestStream.CompleteAsync();

    /// <inheritdoc />
    public IAsyncEnumerable<CoordinatorMessage> ReadAllAsync(CancellationToken cancellationToken) =>
        _call.ResponseStream.ReadAllAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _call.Dispose();
        _channel.Dispose();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
