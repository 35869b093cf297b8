namespace RollbackMesh.Coordinator.Execution;

/// <summary>How the executor reaches agents: whether a node's stream is open, and sending it a message.</summary>
internal interface IAgentLink
{
    bool IsConnected(string node);

    /// <summary>Whether the node was removed (its certificates revoked); it will not come back until it enrolls again.</summary>
    bool IsRemoved(string node);

    /// <summary>
    /// Sends a StepCommand, CancelStep or JournalQuery to <paramref name="node"/>. Throws
    /// <see cref="AgentUnavailableException"/> when the node has no open stream.
    /// </summary>
    ValueTask SendAsync(string node, V1.CoordinatorMessage message, CancellationToken ct);
}
