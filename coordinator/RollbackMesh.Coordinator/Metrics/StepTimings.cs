using System.Collections.Concurrent;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Metrics;

/// <summary>
/// Turns the run drivers' step changes into the step metrics: an end state counts the outcome and observes the time
/// since the step's first dispatch; dispatched → running observes the dispatch latency. Only the first dispatch time
/// of each step in flight is kept (removed when it ends), so memory follows the steps in flight, not the history. A
/// step a restarted coordinator finds in flight was dispatched by the old process: its outcome counts, its duration
/// is not known and not observed.
/// </summary>
internal sealed class StepTimings(CoordinatorMetrics metrics) : IStepObserver
{
    private readonly ConcurrentDictionary<(string RunId, string StepId), DateTimeOffset> _firstDispatch = new();

    public void OnStepChanged(StepRecord previous, StepRecord next)
    {
        var key = (next.RunId, next.StepId);
        if (next.State == StepState.Dispatched)
        {
            _firstDispatch.TryAdd(key, next.UpdatedAt);
        }
        else if (next.State == StepState.Running && previous.State == StepState.Dispatched)
        {
            // previous.UpdatedAt is when the latest dispatch was recorded.
            metrics.StepDispatchAcknowledged(next.UpdatedAt - previous.UpdatedAt);
        }
        else if (next.State.IsTerminal())
        {
            metrics.StepFinished(next.State, _firstDispatch.TryRemove(key, out var first) ? next.UpdatedAt - first : null);
        }
    }
}
