namespace RollbackMesh.Coordinator.Execution;

/// <summary>A message could not be sent because the node has no open stream.</summary>
internal sealed class AgentUnavailableException(string node)
    : Exception($"Node '{node}' is not connected.")
{
    public string Node { get; } = node;
}
