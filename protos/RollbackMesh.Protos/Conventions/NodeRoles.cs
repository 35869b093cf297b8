namespace RollbackMesh.Protos.Conventions;

/// <summary>
/// The role names a node has (agent.yaml roles; agent_hub.proto Hello.roles; runbook selectors build on them).
/// </summary>
public static class NodeRoles
{
    public const string Server = "server";
    public const string FirstServer = "first-server";
    public const string Agent = "agent";
    public const string Control = "control";
    public const string Compute = "compute";

    /// <summary>Every role, in the order messages list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Server, FirstServer, Agent, Control, Compute];

    /// <summary>True for a role name in <see cref="All"/> (names are case-sensitive).</summary>
    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
