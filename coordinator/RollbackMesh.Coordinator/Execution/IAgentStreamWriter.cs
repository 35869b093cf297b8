namespace RollbackMesh.Coordinator.Execution;

/// <summary>The write side of one agent's open stream, supplied by the transport endpoint.</summary>
internal interface IAgentStreamWriter
{
    /// <summary>Writes one message; implementations serialise concurrent calls.</summary>
    ValueTask WriteAsync(V1.CoordinatorMessage message, CancellationToken ct);
}
