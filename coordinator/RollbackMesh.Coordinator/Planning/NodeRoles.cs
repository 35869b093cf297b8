namespace RollbackMesh.Coordinator.Planning;

/// <summary>The role names agents report (agent_hub.proto, Hello.roles).</summary>
internal static class NodeRoles
{
    public const string Server = "server";
    public const string FirstServer = "first-server";
    public const string Agent = "agent";
    public const string Control = "control";
    public const string Compute = "compute";
}
