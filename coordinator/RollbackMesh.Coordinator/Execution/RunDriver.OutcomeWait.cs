using System.Collections.Concurrent;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    // How often a step in flight checks that its node is still connected; the outcome itself ends the wait at once.
    private static readonly TimeSpan ConnectionCheckInterval = TimeSpan.FromMilliseconds(250);

    // When each node last (re)connected, so a reconnection between two checks still restarts the clock.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastConnected = new(StringComparer.Ordinal);

    private enum OutcomeWait
    {
        Settled,
        TimedOut,
        NodeLost,
        NodeRemoved,
    }

    /// <summary>
    /// Waits for a delivered step's outcome until its timeout (+ grace). A node that drops its stream meanwhile gets
    /// <see cref="ExecutorOptions.ReconnectTimeout"/> to come back (its journal then settles the step); one that stays
    /// away ends the wait then, instead of holding the run for the whole step timeout, which can be long.
    /// </summary>
    private async Task<OutcomeWait> WaitForOutcomeAsync(PlanStep step, Task<StepRecord> terminal, CancellationToken ct)
    {
        var timeoutAt = _context.Time.GetUtcNow() + step.Timeout + _context.Options.TimeoutGrace;
        DateTimeOffset? disconnectedSince = null;
        while (!terminal.IsCompleted)
        {
            var now = _context.Time.GetUtcNow();
            if (now >= timeoutAt)
            {
                return OutcomeWait.TimedOut;
            }

            if (_context.Link.IsConnected(step.Node))
            {
                disconnectedSince = null;
            }
            else if (_context.Link.IsRemoved(step.Node))
            {
                // Revoked: it cannot reconnect, so waiting ReconnectTimeout for it would only hold the run.
                return OutcomeWait.NodeRemoved;
            }
            else
            {
                if (disconnectedSince is null || _lastConnected.GetValueOrDefault(step.Node) > disconnectedSince)
                {
                    disconnectedSince = now;
                }

                if (now - disconnectedSince >= _context.Options.ReconnectTimeout)
                {
                    return OutcomeWait.NodeLost;
                }
            }

            var slice = timeoutAt - now < ConnectionCheckInterval ? timeoutAt - now : ConnectionCheckInterval;
            try
            {
                await terminal.WaitAsync(slice, _context.Time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Next check.
            }
        }

        return OutcomeWait.Settled;
    }
}
