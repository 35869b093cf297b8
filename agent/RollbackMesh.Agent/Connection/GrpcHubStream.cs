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

    /// <summary>How long a failed write waits for the call's own status (the coordinator's refusal) to arrive.</summary>
    internal static readonly TimeSpan StatusWait = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    /// <remarks>
    /// When the coordinator ends the call (a refused Hello) while the agent is still writing (its journal follows the
    /// Hello), the write can fail as CANCELLED before the call's status is read; the agent would then retry as after a
    /// network blip. The status the coordinator sent is what the write reports instead, once it is there.
    /// </remarks>
    public async Task WriteAsync(AgentMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _call.RequestStream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && !cancellationToken.IsCancellationRequested)
        {
            if (await CompletedStatusAsync(cancellationToken).ConfigureAwait(false) is { } status && status.StatusCode is not (StatusCode.OK or StatusCode.Cancelled))
            {
                throw new RpcException(status);
            }

            throw;
        }
    }

    private async Task<Status?> CompletedStatusAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StatusWait;
        while (true)
        {
            try
            {
                return _call.GetStatus();
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false); // the trailers are still on their way
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

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
