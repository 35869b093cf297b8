namespace RollbackMesh.Coordinator.Execution;

/// <summary>No run with this id exists.</summary>
internal sealed class RunNotFoundException(string runId) : Exception($"Run '{runId}' does not exist.")
{
    public string RunId { get; } = runId;
}
