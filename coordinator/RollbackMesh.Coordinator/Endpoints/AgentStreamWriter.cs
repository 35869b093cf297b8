using System.Threading.Channels;
using RollbackMesh.Coordinator.Execution;
using Grpc.Core;
using RollbackMesh.V1;

namespace RollbackMesh.Coordinator.Endpoints;

/// <summary>
/// Serialises writes to one agent's response stream: callers queue into a bounded single-reader channel and one pump
/// writes in order. A write completes once the message is handed to the transport, or fails when the stream has ended.
/// </summary>
internal sealed class AgentStreamWriter : IAgentStreamWriter, IAsyncDisposable
{
    private const int Capacity = 256;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IServerStreamWriter<CoordinatorMessage> _stream;
    private readonly string _node;
    private readonly CancellationToken _callEnded;
    private readonly Task _pump;

    public AgentStreamWriter(IServerStreamWriter<CoordinatorMessage> stream, string node, CancellationToken callEnded)
    {
        _stream = stream;
        _node = node;
        _callEnded = callEnded;
        _pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    public async ValueTask WriteAsync(CoordinatorMessage message, CancellationToken ct)
    {
        var pending = new Pending(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _queue.Writer.WriteAsync(pending, ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new AgentUnavailableException(_node);
        }

        await pending.Written.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stops accepting messages, lets the pump finish what is queued (or fail it), and waits for the pump.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }

    private async Task PumpAsync()
    {
        await foreach (var pending in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (_callEnded.IsCancellationRequested)
            {
                pending.Written.TrySetException(new AgentUnavailableException(_node));
                continue;
            }

            try
            {
                await _stream.WriteAsync(pending.Message, _callEnded).ConfigureAwait(false);
                pending.Written.TrySetResult();
            }
            catch (Exception)
            {
                // The stream is broken: this and every later message fail as "not connected"; the read loop ends the call.
                _queue.Writer.TryComplete();
                pending.Written.TrySetException(new AgentUnavailableException(_node));
            }
        }
    }

    private sealed record Pending(CoordinatorMessage Message, TaskCompletionSource Written);
}
