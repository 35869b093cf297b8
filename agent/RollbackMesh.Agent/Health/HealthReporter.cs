using Microsoft.Extensions.Logging;

namespace RollbackMesh.Agent.Health;

/// <summary>
/// Produces health reports while a stream is open: one at once, then one every interval, and an early one when a
/// watched unit's state changes (polled every <see cref="UnitPollInterval"/>) or, at once, when the last step's state
/// changes.
/// </summary>
internal sealed class HealthReporter
{
    /// <summary>How often the watched units are polled between full reports.</summary>
    public static readonly TimeSpan UnitPollInterval = TimeSpan.FromSeconds(2);

    private readonly HealthCollector _collector;
    private readonly LastStepTracker _lastStep;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<HealthReporter> _logger;

    /// <summary>Creates the reporter.</summary>
    public HealthReporter(HealthCollector collector, LastStepTracker lastStep, TimeProvider timeProvider, ILogger<HealthReporter> logger)
    {
        _collector = collector;
        _lastStep = lastStep;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Sends reports through <paramref name="send"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, Func<HealthSnapshot, CancellationToken, ValueTask> send, CancellationToken cancellationToken)
    {
        // A step's change wakes the wait at once: the coordinator's gate after a phase waits for a report newer than
        // the phase's last step, so a report held back to the next unit poll (2 s) would hold every gate that long.
        var stepChanged = NewSignal();
        void OnStepChanged() => Volatile.Read(ref stepChanged).TrySetResult();
        _lastStep.Changed += OnStepChanged;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Volatile.Write(ref stepChanged, NewSignal());
                var snapshot = await _collector.CollectAsync(cancellationToken).ConfigureAwait(false);
                await send(snapshot, cancellationToken).ConfigureAwait(false);
                HealthLog.ReportSent(_logger, snapshot.Healthy, snapshot.Problems.Count);

                var due = _timeProvider.GetUtcNow() + interval;
                while (_timeProvider.GetUtcNow() < due)
                {
                    var wait = Min(due - _timeProvider.GetUtcNow(), UnitPollInterval);
                    if (await StepChangedWithinAsync(Volatile.Read(ref stepChanged).Task, wait, cancellationToken).ConfigureAwait(false)
                        || (_collector.HasUnits && await UnitsChangedAsync(snapshot, cancellationToken).ConfigureAwait(false)))
                    {
                        HealthLog.EarlyReport(_logger);
                        break;
                    }
                }
            }
        }
        finally
        {
            _lastStep.Changed -= OnStepChanged;
        }
    }

    /// <summary>True as soon as <paramref name="stepChanged"/> completes; false once <paramref name="wait"/> has passed.</summary>
    private async Task<bool> StepChangedWithinAsync(Task stepChanged, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _timeProvider, waiting.Token);
        if (await Task.WhenAny(delay, stepChanged).ConfigureAwait(false) == stepChanged)
        {
            await waiting.CancelAsync().ConfigureAwait(false);
            return true;
        }

        await delay.ConfigureAwait(false); // throws when the reporter itself was cancelled
        return false;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<bool> UnitsChangedAsync(HealthSnapshot last, CancellationToken cancellationToken)
    {
        var now = await _collector.ProbeUnitsAsync(cancellationToken).ConfigureAwait(false);
        return !now.SequenceEqual(last.Units);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
