namespace RollbackMesh.Coordinator.Execution;

/// <summary>A control command does not fit the run's current state (pausing a finished run, approving nothing).</summary>
internal sealed class RunStateException(string message) : Exception(message);
