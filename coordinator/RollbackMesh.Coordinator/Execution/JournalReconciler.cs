using System.Collections.Immutable;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Settles a run's steps in flight from the agents' journals: after a coordinator restart (every node with steps
/// recorded in flight) and after a node reconnects mid-step. Outcomes found are reported as the agent would report
/// them; steps the journal does not settle are resent with the same id.
/// </summary>
internal sealed class JournalReconciler(
    ExecutorContext context, string runId, RunInbox inbox, IRunView view, IReadOnlyDictionary<string, PlanStep> planSteps,
    Action<string, AgentStepUpdate> report)
{
    /// <summary>
    /// After a restart: asks each node with steps recorded in flight for its journal of this run and records the
    /// outcomes it holds. Steps the journal does not settle stay in flight and are resent with the same id.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken ct)
    {
        var byNode = view.Snapshot.Steps.Where(s => s.State.IsInFlight()).GroupBy(s => s.Node, StringComparer.Ordinal).ToList();
        await Task.WhenAll(byNode.Select(g => ReconcileNodeAsync(g.Key, [.. g], ct))).ConfigureAwait(false);
    }

    private async Task ReconcileNodeAsync(string node, ImmutableArray<StepRecord> inFlight, CancellationToken ct)
    {
        if (!await AgentReach.WaitForNodeAsync(context, node, ct).ConfigureAwait(false))
        {
            return;
        }

        if (await QueryJournalAsync(node, ct).ConfigureAwait(false) is not { } journal)
        {
            return;
        }

        var settled = 0;
        foreach (var entry in journal.Where(e => e.RunId == runId && e.State.IsTerminal()))
        {
            if (inFlight.Any(s => s.WireId == entry.StepId))
            {
                report(node, new AgentStepUpdate(entry.RunId, entry.StepId, entry.State, "", entry.Outcome));
                settled++;
            }
        }

        RunLog.Reconciled(context.Logger, runId, node, settled);
    }

    /// <summary>
    /// A node reconnected with steps of this run that were sent but have no outcome yet: their updates may have been
    /// lost with the old stream. Asks the node's journal and settles them from it (an agent that restarted reports such
    /// a step FAILED "interrupted, state unknown"); a step the journal does not hold, or holds as still running, is
    /// resent with the same id so the agent answers for it now. Steps whose send is being retried are left to that.
    /// </summary>
    public async Task SettleAfterReconnectAsync(string node, ImmutableArray<StepRecord> sent, CancellationToken ct)
    {
        try
        {
            if (await QueryJournalAsync(node, ct).ConfigureAwait(false) is not { } journal)
            {
                RunLog.NoJournal(context.Logger, runId, node);
                return;
            }

            foreach (var step in sent)
            {
                var entry = journal.FirstOrDefault(e => e.StepId == step.WireId);
                if (entry is not null)
                {
                    report(node, new AgentStepUpdate(entry.RunId, entry.StepId, entry.State, "", entry.Outcome));
                    if (entry.State.IsTerminal())
                    {
                        continue;
                    }
                }

                // Not journaled: the command never arrived. RUNNING: only as fresh as the report, and the report an
                // agent sends unasked after Hello can answer our query first; from an agent that restarted it may list
                // a step that died with the old process. Either way the same id is resent: the agent joins a step still
                // running (never runs it twice) and reports one it finds started but not running as interrupted.
                if (await inbox.Ask<DateTimeOffset?>(r => new ResendAfterReconnect(step.StepId, r)).ConfigureAwait(false) is not { } deadline)
                {
                    continue;
                }

                RunLog.Resent(context.Logger, runId, step.StepId, node);
                var command = AgentWireMapper.StepCommand(runId, step.WireId, planSteps[step.StepId].Action, deadline);
                await context.Link.SendAsync(node, command, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Aborted or shutting down.
        }
        catch (AgentUnavailableException)
        {
            // Gone again: its next Hello starts this over; meanwhile the step's timeout still applies.
        }
        catch (Exception ex)
        {
            RunLog.RunCrashed(context.Logger, ex, runId);
        }
    }

    /// <summary>
    /// Sends <paramref name="node"/> a JournalQuery for this run and waits for the answer (null: not connected, or no
    /// answer within <see cref="ExecutorOptions.JournalTimeout"/>). Several waits on one node share its next answer.
    /// </summary>
    private async Task<ImmutableArray<JournalRecord>?> QueryJournalAsync(string node, CancellationToken ct)
    {
        // Posted before the query goes out, so the inbox holds the wait before any answer to it.
        var answer = new TaskCompletionSource<ImmutableArray<JournalRecord>?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!inbox.Post(new AwaitJournal(node, answer)))
        {
            throw new OperationCanceledException(ct);
        }

        try
        {
            await context.Link.SendAsync(node, AgentWireMapper.JournalQuery(runId), ct).ConfigureAwait(false);
        }
        catch (AgentUnavailableException)
        {
            inbox.Post(new JournalWaitEnded(node, answer));
            return null;
        }

        return await answer.Task.WaitAsync(ct).ConfigureAwait(false);
    }
}
