using RollbackMesh.Coordinator.Model;
namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Told of every change a run makes to a step (the metrics' step timings), once the change is committed to the store.
/// Called on the run's loop (<see cref="RunLedger"/>); it must be quick and must not throw.
/// </summary>
internal interface IStepObserver
{
    /// <summary><paramref name="next"/> replaced <paramref name="previous"/>; its <c>UpdatedAt</c> is when.</summary>
    void OnStepChanged(StepRecord previous, StepRecord next);
}
