namespace RollbackMesh.Agent.Connection;

/// <summary>The coordinator refused this node for good (removed, revoked, impersonating, untrusted CA); the agent exits 1.</summary>
internal sealed class AgentRefusedException(string reason, Exception inner) : Exception(reason, inner);
