using RollbackMesh.Coordinator.Model;
namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Told of every change a run driver makes to a step (the metrics' step timings), right after the change is current in
/// memory and its store write is queued. Called outside the driver's lock; it must be quick and must not throw.
/// </summary>
internal interface IStepObserver
{
    /// <summary><paramref name="next"/> replaced <paramref name="previous"/>; its <c>UpdatedAt</c> is when.</summary>
    void OnStepChanged(StepRecord previous, StepRecord next);
}
