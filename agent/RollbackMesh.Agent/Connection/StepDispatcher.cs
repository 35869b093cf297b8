using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>
/// Starts steps the coordinator sends and cancels them on CancelStep. Steps outlive the stream that started them:
/// a network blip must not abort a cluster reset half-way; the journal records how they ended. A step already
/// running is not started again when the command is resent.
/// </summary>
internal sealed class StepDispatcher : IAsyncDisposable
{
    private readonly IStepExecutor _executor;
    private readonly AgentOutbox _outbox;
    private readonly ILogger<StepDispatcher> _logger;
    private readonly ConcurrentDictionary<(string RunId, string StepId), RunningStep> _running = new();
    private readonly CancellationTokenSource _shutdown = new();

    /// <summary>Creates the dispatcher.</summary>
    public StepDispatcher(IStepExecutor executor, AgentOutbox outbox, ILogger<StepDispatcher> logger)
    {
        _executor = executor;
        _outbox = outbox;
        _logger = logger;
    }

    /// <summary>The number of steps running now.</summary>
    public int RunningCount => _running.Count;

    /// <summary>Raised when the last running step has ended.</summary>
    public event System.Action? Idle;

    /// <summary>Starts <paramref name="command"/> in the background unless the same step is already running.</summary>
    public void Start(StepCommand command)
    {
        var key = (command.RunId, command.StepId);
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        var step = new RunningStep(cancellation);
        if (!_running.TryAdd(key, step))
        {
            cancellation.Dispose();
            ConnectionLog.StepAlreadyRunning(_logger, command.RunId, command.StepId);
            return;
        }

        ConnectionLog.StepStarting(_logger, command.RunId, command.StepId, command.Action?.KindCase.ToString() ?? "none");
        step.Task = Task.Run(async () =>
        {
            try
            {
                await _executor.ExecuteAsync(command, ReportAsync, cancellation.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_shutdown.IsCancellationRequested)
            {
                // The step runner reports its own failures; this is a bug in it, so report it rather than lose the step.
                ConnectionLog.StepCrashed(_logger, command.RunId, command.StepId, ex);
                await _outbox.SendStepUpdateAsync(new StepUpdate
                {
                    RunId = command.RunId,
                    StepId = command.StepId,
                    State = StepState.Failed,
                    Result = new StepResult { State = StepState.Failed, Error = "the step runner failed: " + ex.Message },
                }, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _running.TryRemove(key, out _);
                cancellation.Dispose();
                if (_running.IsEmpty)
                {
                    Idle?.Invoke();
                }
            }
        });
    }

    // Updates produced while disconnected are dropped on purpose: the journal keeps the outcome for the next connect.
    private async ValueTask ReportAsync(StepUpdate update, CancellationToken cancellationToken) =>
        await _outbox.SendStepUpdateAsync(update, cancellationToken).ConfigureAwait(false);

    /// <summary>Cancels a running step; unknown steps are ignored (it may have finished already).</summary>
    public void Cancel(CancelStep cancel)
    {
        if (_running.TryGetValue((cancel.RunId, cancel.StepId), out var step))
        {
            ConnectionLog.StepCancelling(_logger, cancel.RunId, cancel.StepId);
            if (_executor.Cancel(cancel.RunId, cancel.StepId))
            {
                return; // the runner records the cancellation as requested by the coordinator
            }

            try
            {
                step.Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Finished between the lookup and the cancel.
            }
        }
    }

    /// <summary>Cancels every running step and waits for them (agent shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        var tasks = _running.Values.Select(s => s.Task).OfType<Task>().ToArray();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Steps that honoured the shutdown cancellation; the journal records them as interrupted.
        }

        _shutdown.Dispose();
    }

    private sealed class RunningStep(CancellationTokenSource cancellation)
    {
        public CancellationTokenSource Cancellation { get; } = cancellation;

        public Task? Task { get; set; }
    }
}
