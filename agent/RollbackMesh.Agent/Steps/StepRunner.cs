using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Actions.Filesystem;
using RollbackMesh.Agent.Actions.Services;
using RollbackMesh.Agent.Journal;
using RollbackMesh.Agent.Processes;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Steps;

/// <summary>
/// Runs the coordinator's step commands. Order for a real (not dry) run: a recorded outcome for the same
/// (run, step) is returned as is; else the action is validated and its paths confined (REFUSED otherwise);
/// the step is journaled durably as started; then already-done check, execute, verify; the outcome is
/// journaled, and only then reported. A step found "started" but not running here was interrupted by a crash
/// and is reported as failed with unknown state: it is never silently run again.
/// </summary>
internal sealed partial class StepRunner
{
    private readonly ActionFactory _factory;
    private readonly StepJournal _journal;
    private readonly AgentActionOptions _options;
    private readonly ToolRunner _tools;
    private readonly Quarantine _quarantine;
    private readonly IServiceController? _services;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<StepKey, InFlight> _inFlight = new();

    /// <summary>Creates the runner.</summary>
    /// <param name="options">Action options (roots, tools, quarantine).</param>
    /// <param name="journal">The durable journal.</param>
    /// <param name="services">The unit controller for service steps; null when none is available.</param>
    /// <param name="time">Clock for deadlines and timestamps.</param>
    /// <param name="logger">Logger.</param>
    public StepRunner(AgentActionOptions options, StepJournal journal, IServiceController? services, TimeProvider time, ILogger<StepRunner> logger)
    {
        _options = options;
        _factory = new ActionFactory(options);
        _journal = journal;
        _tools = new ToolRunner();
        _quarantine = new Quarantine(options.QuarantineDirectory, options.BackupDirectory, time);
        _services = services;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Runs (or dry-runs) a step and returns its result; <paramref name="onUpdate"/> receives RUNNING, output
    /// chunks and the terminal update (it may be called from several threads, never concurrently).
    /// </summary>
    public async Task<V1.StepResult> RunAsync(V1.StepCommand command, Action<V1.StepUpdate> onUpdate, CancellationToken cancellationToken)
    {
        var key = new StepKey(command.RunId, command.StepId);
        var sink = new UpdateSink(key, onUpdate);
        if (command.RunId.Length == 0 || command.StepId.Length == 0)
        {
            return sink.Terminal(StepResults.ToWire(Outcome(StepStatus.Refused, Now(), error: "run_id and step_id are required")));
        }

        if (command.DryRun)
        {
            return sink.Terminal(await DryRunAsync(command, cancellationToken).ConfigureAwait(false));
        }

        // A resend while the step is still running here joins the running step instead of starting another.
        if (_inFlight.TryGetValue(key, out var running))
        {
            return sink.Terminal(await running.Result.Task.ConfigureAwait(false));
        }

        if (_journal.Get(key.RunId, key.StepId) is { } recorded)
        {
            return sink.Terminal(Recorded(key, recorded));
        }

        var flight = new InFlight(CancellationTokenSource.CreateLinkedTokenSource(cancellationToken));
        if (!_inFlight.TryAdd(key, flight))
        {
            flight.Cancellation.Dispose();
            return sink.Terminal(await _inFlight[key].Result.Task.ConfigureAwait(false));
        }

        try
        {
            var result = await ExecuteAsync(key, command, sink, flight, cancellationToken).ConfigureAwait(false);
            flight.Result.TrySetResult(result);
            return sink.Terminal(result);
        }
        catch (Exception ex)
        {
            flight.Result.TrySetException(ex);
            throw;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
            flight.Cancellation.Dispose();
        }
    }

    /// <summary>Cancels a running step; false when no such step is running.</summary>
    public bool Cancel(string runId, string stepId)
    {
        if (!_inFlight.TryGetValue(new StepKey(runId, stepId), out var flight))
        {
            return false;
        }

        flight.CancelRequested = true;
        flight.Cancellation.Cancel();
        return true;
    }

    /// <summary>The journal entries of a run, for the coordinator's reconciliation after a restart.</summary>
    public V1.JournalReport QueryJournal(V1.JournalQuery query) => Report(_journal.ListRun(query.RunId));

    /// <summary>
    /// The most recent <paramref name="count"/> journal entries, newest first, as sent after every (re)connect. Like a
    /// query's answer, a step journaled "started" that is not running here is reported interrupted: after a restart
    /// nothing is running, and a RUNNING entry would have the coordinator wait for an update that never comes.
    /// </summary>
    public V1.JournalReport RecentJournal(int count) => Report(_journal.Recent(count));

    private V1.JournalReport Report(IEnumerable<StepJournalEntry> entries)
    {
        var report = new V1.JournalReport();
        foreach (var entry in entries)
        {
            var key = new StepKey(entry.RunId, entry.StepId);
            report.Entries.Add(entry.Status == StepStatus.Started && !_inFlight.ContainsKey(key)
                ? new V1.JournalEntry { RunId = entry.RunId, StepId = entry.StepId, State = V1.StepState.Failed, Result = Interrupted(key, entry) }
                : StepResults.ToWire(entry));
        }

        return report;
    }

    private ActionContext Context(Action<string> output) => new()
    {
        Options = _options,
        Tools = _tools,
        Quarantine = _quarantine,
        Services = _services,
        Output = output,
        Time = _time,
    };

    private V1.StepResult Recorded(StepKey key, StepJournalEntry recorded)
    {
        if (recorded.Outcome is { } outcome)
        {
            StepRunnerLog.StepDeduplicated(_logger, key, outcome.Status.ToString());
            return StepResults.ToWire(outcome);
        }

        StepRunnerLog.StepInterrupted(_logger, key, recorded.StartedAt);
        return Interrupted(key, recorded);
    }

    private V1.StepResult Interrupted(StepKey key, StepJournalEntry entry) => StepResults.ToWire(Outcome(
        StepStatus.Failed, entry.StartedAt,
        error: $"interrupted, state unknown; {key} was started at {entry.StartedAt:O} and never finished (agent restart?)"));

    private StepOutcome Outcome(StepStatus status, DateTimeOffset startedAt, string summary = "", string error = "") => new()
    {
        Status = status,
        Summary = summary,
        Error = error,
        StartedAt = startedAt,
        FinishedAt = Now(),
    };

    // The journal keeps milliseconds; so do results, so a recorded outcome equals the one first returned.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());

    private sealed class InFlight(CancellationTokenSource cancellation)
    {
        public CancellationTokenSource Cancellation { get; } = cancellation;

        public TaskCompletionSource<V1.StepResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool CancelRequested;
    }
}
