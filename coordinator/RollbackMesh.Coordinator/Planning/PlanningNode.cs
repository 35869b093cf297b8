using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// A node as the planner sees it: its name, its roles (<c>server</c>, <c>first-server</c>, <c>agent</c>,
/// <c>control</c>, <c>compute</c>, as agents report them in Hello), its labels and its cluster (empty: it names none).
/// </summary>
internal sealed record PlanningNode(string Name, ImmutableArray<string> Roles, ImmutableDictionary<string, string> Labels, string Cluster = "")
{
    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>A node is a server when it has role <c>server</c> or <c>first-server</c>.</summary>
    public bool IsServer => HasRole(NodeRoles.Server) || HasRole(NodeRoles.FirstServer);
}
