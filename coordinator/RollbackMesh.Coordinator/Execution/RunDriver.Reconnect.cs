using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    private static readonly TimeSpan FirstResendPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxResendPause = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, DateTimeOffset> _deadlines = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unsent = new(StringComparer.Ordinal);
    private volatile bool _liveReconcile;

    /// <summary>
    /// Sends a dispatched step's command. When the node's stream is down, waits up to
    /// <see cref="ExecutorOptions.ReconnectTimeout"/> for it to come back and sends again with the same step id
    /// (each attempt recorded first). Returns false when the node never came back.
    /// </summary>
    private async Task<bool> SendUntilDeliveredAsync(PlanStep step, DateTimeOffset deadline, CancellationToken ct)
    {
        lock (_lock)
        {
            _unsent.Add(step.StepId);
        }

        try
        {
            DateTimeOffset? giveUp = null;
            var pause = FirstResendPause;
            while (true)
            {
                try
                {
                    var command = AgentWireMapper.StepCommand(RunId, GetStep(step.StepId).WireId, step.Action, deadline);
                    await _context.Link.SendAsync(step.Node, command, ct).ConfigureAwait(false);
                    return true;
                }
                catch (AgentUnavailableException)
                {
                    Log.SendFailed(_context.Logger, RunId, step.StepId, step.Node);
                }

                giveUp ??= _context.Time.GetUtcNow() + _context.Options.ReconnectTimeout;
                // The broken stream may still be registered for a moment (until the endpoint drops it): back off, so a
                // dead stream costs a few recorded attempts, not one every poll.
                await Task.Delay(pause, _context.Time, ct).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxResendPause.Ticks));
                if (!await WaitForNodeAsync(step.Node, giveUp.Value, ct).ConfigureAwait(false))
                {
                    return false;
                }

                deadline = _context.Time.GetUtcNow() + step.Timeout;
                var resend = TryTransition(step.StepId, s => s.State.IsInFlight() ? s with { DispatchCount = s.DispatchCount + 1 } : null, _context.Options.CoordinatorIdentity);
                if (resend is null)
                {
                    return true; // settled meanwhile; the caller reads the outcome
                }

                await resend.ConfigureAwait(false);
                lock (_lock)
                {
                    _deadlines[step.StepId] = deadline;
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                _unsent.Remove(step.StepId);
            }
        }
    }

    /// <summary>
    /// A node (re)connected. If this run has steps on it that were sent but have no outcome yet, their updates may have
    /// been lost with the old stream: asks the node's journal and settles them from it (an agent that restarted reports
    /// such a step FAILED "interrupted, state unknown"); a step the journal does not hold, or holds as still running,
    /// is resent with the same id so the agent answers for it now. Steps whose send is being retried by
    /// <see cref="SendUntilDeliveredAsync"/> are left to it.
    /// </summary>
    public void OnNodeConnected(string node)
    {
        _lastConnected[node] = _context.Time.GetUtcNow();
        if (!_liveReconcile || CurrentRun.IsFinished)
        {
            return;
        }

        ImmutableArray<StepRecord> sent;
        lock (_lock)
        {
            sent = [.. _steps.Where(s => s.Node == node && s.State.IsInFlight() && !_unsent.Contains(s.StepId))];
        }

        if (!sent.IsEmpty)
        {
            _ = Task.Run(() => SettleAfterReconnectAsync(node, sent, _stop.Token), CancellationToken.None);
        }
    }

    private async Task SettleAfterReconnectAsync(string node, ImmutableArray<StepRecord> sent, CancellationToken ct)
    {
        try
        {
            if (await QueryJournalAsync(node, ct).ConfigureAwait(false) is not { } journal)
            {
                Log.NoJournal(_context.Logger, RunId, node);
                return;
            }

            foreach (var step in sent)
            {
                var entry = journal.FirstOrDefault(e => e.StepId == step.WireId);
                if (entry is not null)
                {
                    OnStepUpdate(node, new AgentStepUpdate(entry.RunId, entry.StepId, entry.State, "", entry.Outcome));
                    if (entry.State.IsTerminal())
                    {
                        continue;
                    }
                }

                // Not journaled: the command never arrived. RUNNING: only as fresh as the report, and the report an
                // agent sends unasked after Hello can answer our query first; from an agent that restarted it may list
                // a step that died with the old process. Either way the same id is resent: the agent joins a step still
                // running (never runs it twice) and reports one it finds started but not running as interrupted.

                var resend = TryTransition(
                    step.StepId,
                    s => s.State.IsInFlight() && !IsUnsent(s.StepId) ? s with { DispatchCount = s.DispatchCount + 1 } : null,
                    _context.Options.CoordinatorIdentity);
                if (resend is null)
                {
                    continue;
                }

                await resend.ConfigureAwait(false);
                var plan = _planSteps[step.StepId];
                DateTimeOffset deadline;
                lock (_lock)
                {
                    deadline = _deadlines.GetValueOrDefault(step.StepId, _context.Time.GetUtcNow() + plan.Timeout);
                }

                Log.Resent(_context.Logger, RunId, step.StepId, node);
                await _context.Link.SendAsync(node, AgentWireMapper.StepCommand(RunId, step.WireId, plan.Action, deadline), ct).ConfigureAwait(false);
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
            Log.RunCrashed(_context.Logger, ex, RunId);
        }
    }

    private bool IsUnsent(string stepId)
    {
        lock (_lock)
        {
            return _unsent.Contains(stepId);
        }
    }
}
