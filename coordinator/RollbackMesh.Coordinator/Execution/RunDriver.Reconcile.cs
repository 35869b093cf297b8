using System.Collections.Immutable;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    private readonly Dictionary<string, List<TaskCompletionSource<ImmutableArray<JournalRecord>>>> _journalWaits = new(StringComparer.Ordinal);

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

        if (await QueryJournalAsync(node, ct).ConfigureAwait(false) is not { } journal)
        {
            return;
        }

        var settled = 0;
        foreach (var entry in journal.Where(e => e.RunId == RunId && e.State.IsTerminal()))
        {
            if (inFlight.Any(s => s.WireId == entry.StepId))
            {
                OnStepUpdate(node, new AgentStepUpdate(entry.RunId, entry.StepId, entry.State, "", entry.Outcome));
                settled++;
            }
        }

        Log.Reconciled(_context.Logger, RunId, node, settled);
    }

    /// <summary>
    /// Sends <paramref name="node"/> a JournalQuery for this run and waits for the answer (null: not connected, or no
    /// answer within <see cref="ExecutorOptions.JournalTimeout"/>). Several waits on one node share its next answer.
    /// </summary>
    private async Task<ImmutableArray<JournalRecord>?> QueryJournalAsync(string node, CancellationToken ct)
    {
        var answer = new TaskCompletionSource<ImmutableArray<JournalRecord>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (!_journalWaits.TryGetValue(node, out var waits))
            {
                _journalWaits[node] = waits = [];
            }

            waits.Add(answer);
        }

        try
        {
            await _context.Link.SendAsync(node, AgentWireMapper.JournalQuery(RunId), ct).ConfigureAwait(false);
            return await answer.Task.WaitAsync(_context.Options.JournalTimeout, _context.Time, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or AgentUnavailableException)
        {
            return null;
        }
        finally
        {
            lock (_lock)
            {
                if (_journalWaits.TryGetValue(node, out var waits))
                {
                    waits.Remove(answer);
                    if (waits.Count == 0)
                    {
                        _journalWaits.Remove(node);
                    }
                }
            }
        }
    }

    /// <summary>A node answered a JournalQuery; delivered to this run's waits on that node.</summary>
    public void OnJournal(string node, ImmutableArray<JournalRecord> entries)
    {
        List<TaskCompletionSource<ImmutableArray<JournalRecord>>> waiting;
        lock (_lock)
        {
            if (!_journalWaits.TryGetValue(node, out var waits))
            {
                return;
            }

            waiting = [.. waits];
        }

        ImmutableArray<JournalRecord> mine = [.. entries.Where(e => e.RunId == RunId)];
        foreach (var wait in waiting)
        {
            wait.TrySetResult(mine);
        }
    }
}
