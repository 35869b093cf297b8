using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    private readonly Dictionary<string, TaskCompletionSource<ImmutableArray<JournalRecord>>> _journalWaits = new(StringComparer.Ordinal);

    /// <summary>
    /// After a restart: asks each node with steps recorded in flight for its journal of this run and records the
    /// outcomes it holds. Steps the journal does not settle stay in flight and are resent with the same id.
    /// </summary>
    private async Task ReconcileAsync(CancellationToken ct)
    {
        var byNode = StepsSnapshot().Where(s => s.State.IsInFlight()).GroupBy(s => s.Node, StringComparer.Ordinal).ToList();
        await Task.WhenAll(byNode.Select(g => ReconcileNodeAsync(g.Key, [.. g], ct))).ConfigureAwait(false);
    }

    private async Task ReconcileNodeAsync(string node, ImmutableArray<StepRecord> inFlight, CancellationToken ct)
    {
        if (!await WaitForNodeAsync(node, ct).ConfigureAwait(false))
        {
            return;
        }

        var answer = new TaskCompletionSource<ImmutableArray<JournalRecord>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _journalWaits[node] = answer;
        }

        ImmutableArray<JournalRecord> journal;
        try
        {
            await _context.Link.SendAsync(node, AgentWireMapper.JournalQuery(RunId), ct).ConfigureAwait(false);
            journal = await answer.Task.WaitAsync(_context.Options.JournalTimeout, _context.Time, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or AgentUnavailableException)
        {
            return;
        }
        finally
        {
            lock (_lock)
            {
                _journalWaits.Remove(node);
            }
        }

        var settled = 0;
        foreach (var entry in journal.Where(e => e.RunId == RunId && e.State.IsTerminal()))
        {
            if (inFlight.Any(s => s.StepId == entry.StepId))
            {
                OnStepUpdate(node, new AgentStepUpdate(entry.RunId, entry.StepId, entry.State, "", entry.Outcome));
                settled++;
            }
        }

        Log.Reconciled(_context.Logger, RunId, node, settled);
    }

    /// <summary>A node answered a JournalQuery; delivered to this run if it is waiting for that node.</summary>
    public void OnJournal(string node, ImmutableArray<JournalRecord> entries)
    {
        TaskCompletionSource<ImmutableArray<JournalRecord>>? waiting;
        lock (_lock)
        {
            _journalWaits.TryGetValue(node, out waiting);
        }

        waiting?.TrySetResult([.. entries.Where(e => e.RunId == RunId)]);
    }
}
