using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RollbackMesh.Agent.Health;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>
/// Runs one open stream: sends Hello and the journal's recent outcomes first, then health reports; dispatches
/// StepCommand, CancelStep and JournalQuery. All writes go through one bounded, single-reader channel, so
/// messages from the health loop, the steps and the query answers never interleave on the wire.
/// </summary>
internal sealed class HubSession
{
    /// <summary>How many messages may wait for the stream before writers are made to wait.</summary>
    public const int QueueCapacity = 256;

    private readonly HelloFactory _hello;
    private readonly IJournalReader _journal;
    private readonly HealthReporter _health;
    private readonly StepDispatcher _steps;
    private readonly AgentOutbox _outbox;
    private readonly ILogger<HubSession> _logger;

    /// <summary>Creates the session runner.</summary>
    public HubSession(HelloFactory hello, IJournalReader journal, HealthReporter health, StepDispatcher steps,
        AgentOutbox outbox, ILogger<HubSession> logger)
    {
        _hello = hello;
        _journal = journal;
        _health = health;
        _steps = steps;
        _outbox = outbox;
        _logger = logger;
    }

    /// <summary>
    /// Runs until the coordinator ends the stream (returns) or it fails (throws); <paramref name="onConnected"/> is
    /// called once the coordinator has answered.
    /// </summary>
    public async Task RunAsync(IHubStream stream, TimeSpan healthInterval, System.Action onConnected, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<AgentMessage>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = session.Token;

        // Hello must be first on the stream: queue it before the writer starts and before anything else can write.
        queue.Writer.TryWrite(new AgentMessage { Hello = _hello.Create() });
        try
        {
            queue.Writer.TryWrite(new AgentMessage { Journal = await _journal.RecentAsync(token).ConfigureAwait(false) });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ConnectionLog.JournalUnavailable(_logger, ex);
        }

        var writer = WriteAllAsync(stream, queue.Reader, token);

        await stream.WaitConnectedAsync(token).ConfigureAwait(false);
        onConnected();
        _outbox.Attach(queue.Writer);
        var health = _health.RunAsync(healthInterval,
            (snapshot, ct) => queue.Writer.WriteAsync(new AgentMessage { Health = HealthReportMapper.ToProto(snapshot) }, ct), token);
        var reader = ReadAllAsync(stream, queue.Writer, token);
        try
        {
            // Whichever ends first ends the session: the coordinator closing (reader), a write failing (writer).
            var first = await Task.WhenAny(reader, writer, health).ConfigureAwait(false);
            await first.ConfigureAwait(false);
        }
        finally
        {
            _outbox.Attach(null);
            queue.Writer.TryComplete();
            await session.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(reader, writer, health).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private static async Task WriteAllAsync(IHubStream stream, ChannelReader<AgentMessage> queue, CancellationToken cancellationToken)
    {
        await foreach (var message in queue.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadAllAsync(IHubStream stream, ChannelWriter<AgentMessage> queue, CancellationToken cancellationToken)
    {
        await foreach (var message in stream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (message.BodyCase)
            {
                case CoordinatorMessage.BodyOneofCase.Step:
                    _steps.Start(message.Step);
                    break;
                case CoordinatorMessage.BodyOneofCase.Cancel:
                    _steps.Cancel(message.Cancel);
                    break;
                case CoordinatorMessage.BodyOneofCase.JournalQuery:
                    var report = await _journal.QueryAsync(message.JournalQuery.RunId, cancellationToken).ConfigureAwait(false);
                    await queue.WriteAsync(new AgentMessage { Journal = report }, cancellationToken).ConfigureAwait(false);
                    break;
                case CoordinatorMessage.BodyOneofCase.HelloAck:
                    ConnectionLog.HelloAcknowledged(_logger, message.HelloAck.CoordinatorVersion);
                    break;
                default:
                    ConnectionLog.UnknownMessage(_logger, message.BodyCase.ToString());
                    break;
            }
        }
    }
}
