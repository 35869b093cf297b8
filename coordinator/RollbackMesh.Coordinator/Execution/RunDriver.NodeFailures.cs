using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    private readonly Dictionary<string, string> _failedIn = new(StringComparer.Ordinal);

    /// <summary>
    /// After a phase that ended within its failure budget: every node that failed in it gets none of its remaining
    /// steps (in this phase or any later one). They are recorded SKIPPED with <see cref="StepRecord.NodeFailedPrefix"/>
    /// and the phase, before the next phase starts, so a resumed run never dispatches them either.
    /// </summary>
    private async Task SkipFailedNodesAsync(int phaseIndex, IReadOnlyCollection<string> failed)
    {
        var phase = _plan.Phases[phaseIndex].Name;
        lock (_lock)
        {
            foreach (var node in failed)
            {
                _failedIn.TryAdd(node, phase);
            }
        }

        Dictionary<string, string> failedIn;
        lock (_lock)
        {
            failedIn = new(_failedIn, StringComparer.Ordinal);
        }

        var writes = new List<Task>();
        var steps = StepsSnapshot().ToDictionary(s => s.StepId, StringComparer.Ordinal);
        foreach (var (stepId, failedPhase) in FailureBudget.StepsToSkip(_plan, phaseIndex, failedIn, steps))
        {
            var write = TryTransition(
                stepId,
                s => s.State == StepState.Pending ? s with { State = StepState.Skipped, Error = StepRecord.NodeFailedPrefix + failedPhase } : null,
                _context.Options.CoordinatorIdentity);
            if (write is not null)
            {
                writes.Add(write);
            }
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    /// <summary>Every node that failed so far (within budget); gates do not judge them.</summary>
    private HashSet<string> FailedNodes()
    {
        lock (_lock)
        {
            return [.. _failedIn.Keys];
        }
    }
}
