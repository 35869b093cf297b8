using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Protos.Conventions;

namespace RollbackMesh.Coordinator.Tests.Planning;

/// <summary>Fleets of various shapes for planner tests.</summary>
internal static class TestFleets
{
    public static PlanningNode Node(string name, params string[] roles) =>
        new(name, [.. roles], ImmutableDictionary<string, string>.Empty);

    /// <summary>server-1 (first-server), server-2.. (server), agent-1.. (agent), listed in a scrambled order.</summary>
    public static ImmutableArray<PlanningNode> K3s(int servers, int agents, bool markFirst = true)
    {
        var nodes = new List<PlanningNode>();
        for (var i = agents; i >= 1; i--)
        {
            nodes.Add(Node($"agent-{i}", NodeRoles.Agent));
        }

        for (var i = servers; i >= 1; i--)
        {
            nodes.Add(i == 1 && markFirst ? Node("server-1", NodeRoles.Server, NodeRoles.FirstServer) : Node($"server-{i}", NodeRoles.Server));
        }

        return [.. nodes];
    }

    public static ImmutableArray<PlanningNode> OpenStack(int control, int compute)
    {
        var nodes = new List<PlanningNode>();
        for (var i = 1; i <= compute; i++)
        {
            nodes.Add(Node($"compute-{i}", NodeRoles.Compute));
        }

        for (var i = 1; i <= control; i++)
        {
            nodes.Add(Node($"control-{i}", NodeRoles.Control));
        }

        return [.. nodes];
    }
}
