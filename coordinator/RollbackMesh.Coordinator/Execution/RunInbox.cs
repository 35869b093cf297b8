using System.Threading.Channels;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// A run's one inbox: anyone may post, only the run's loop reads (<see cref="RunDriver"/>), so its
/// <see cref="RunLedger"/> sees one message at a time. Once closed, a post fails and an ask is cancelled.
/// </summary>
internal sealed class RunInbox
{
    private readonly Channel<RunMessage> _channel = Channel.CreateUnbounded<RunMessage>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    public ChannelReader<RunMessage> Reader => _channel.Reader;

    public bool Post(RunMessage message) => _channel.Writer.TryWrite(message);

    /// <summary>Posts the request <paramref name="create"/> builds around a reply and returns the reply.</summary>
    public Task<T> Ask<T>(Func<TaskCompletionSource<T>, RunMessage> create)
    {
        var reply = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(create(reply)))
        {
            reply.TrySetCanceled();
        }

        return reply.Task;
    }

    /// <inheritdoc cref="Ask{T}"/>
    public Task Ask(Func<TaskCompletionSource, RunMessage> create)
    {
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(create(reply)))
        {
            reply.TrySetCanceled();
        }

        return reply.Task;
    }

    public void Close() => _channel.Writer.TryComplete();
}
