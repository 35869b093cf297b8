using System.Threading.Channels;
using RollbackMesh.Agent.Health;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>
/// The way out to the coordinator for anything that outlives one stream (step updates). While a stream is open it
/// forwards into that stream's bounded write queue; while disconnected it drops the message, which is safe because
/// the step journal keeps every outcome and is re-sent after the next connect.
/// </summary>
internal sealed class AgentOutbox
{
    private readonly LastStepTracker _lastStep;
    private ChannelWriter<AgentMessage>? _current;

    /// <summary>Creates the outbox.</summary>
    public AgentOutbox(LastStepTracker lastStep) => _lastStep = lastStep;

    /// <summary>Points the outbox at a stream's write queue (null when the stream closes).</summary>
    public void Attach(ChannelWriter<AgentMessage>? writer) => Volatile.Write(ref _current, writer);

    /// <summary>Sends a step update (waiting while the queue is full); false when there is no open stream.</summary>
    public async ValueTask<bool> SendStepUpdateAsync(StepUpdate update, CancellationToken cancellationToken)
    {
        _lastStep.Record(update);
        var writer = Volatile.Read(ref _current);
        if (writer is null)
        {
            return false;
        }

        try
        {
            await writer.WriteAsync(new AgentMessage { StepUpdate = update }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }
}
