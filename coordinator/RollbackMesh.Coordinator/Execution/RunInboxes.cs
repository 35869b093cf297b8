using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Storage;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Where agent events go. The session hub is built with it and posts every step update, reconnect and journal answer
/// here; each goes to the inbox of the run it concerns (the runs this coordinator drives, which the executor opens and
/// closes), to the dry runs waiting for answers, or, for a run not driven here, to the foreign-update check.
/// </summary>
internal sealed class RunInboxes(CoordinatorStore store, TimeProvider time, ILogger<RunInboxes> logger) : IAgentEventSink
{
    private readonly ConcurrentDictionary<string, RunDriver> _runs = new(StringComparer.Ordinal);

    /// <summary>The dry runs' waits for answers.</summary>
    public DryRunAnswers DryRuns { get; } = new();

    /// <summary>The runs driven here now.</summary>
    public IEnumerable<RunDriver> Drivers => _runs.Values;

    public bool TryGet(string runId, out RunDriver driver) => _runs.TryGetValue(runId, out driver!);

    public bool Contains(string runId) => _runs.ContainsKey(runId);

    /// <summary>Routes the run's events to <paramref name="driver"/> from now on (replacing an earlier driver of the run).</summary>
    public void Open(RunDriver driver) => _runs[driver.RunId] = driver;

    /// <summary>As <see cref="Open"/>, unless the run already has a driver.</summary>
    public bool TryOpen(RunDriver driver) => _runs.TryAdd(driver.RunId, driver);

    /// <summary>Stops routing the run's events to <paramref name="driver"/> (a later driver of the run keeps its own).</summary>
    public void Close(RunDriver driver) => _runs.TryRemove(new KeyValuePair<string, RunDriver>(driver.RunId, driver));

    public void OnConnected(string node)
    {
        foreach (var driver in _runs.Values)
        {
            driver.OnNodeConnected(node);
        }
    }

    public void OnStepUpdate(string node, AgentStepUpdate update)
    {
        if (DryRuns.TryDeliver(node, update))
        {
            return;
        }

        if (_runs.TryGetValue(update.RunId, out var driver))
        {
            driver.OnStepUpdate(node, update);
        }
        else if (!store.LoadSteps(update.RunId).Any(s => s.Node == node && StepAttempts.TryParse(update.StepId, id => id == s.StepId, out _, out _)))
        {
            // A late update for a finished run from the step's own node is harmless and ignored; anything else was
            // never dispatched to this node.
            _ = ForeignStepUpdates.RefuseAsync(store, time, logger, node, update);
        }
    }

    public void OnJournal(string node, ImmutableArray<JournalRecord> entries)
    {
        foreach (var driver in _runs.Values)
        {
            driver.OnJournal(node, entries);
        }
    }
}
