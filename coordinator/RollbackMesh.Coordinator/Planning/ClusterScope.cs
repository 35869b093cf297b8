using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// The one cluster a plan covers and the fleet's nodes in it. Asked for a cluster, it is that one (which must have a
/// node); asked for none, it is the only cluster the fleet's nodes are in, and planning over several is refused, since
/// a procedure's first server, order, gates and failure budgets mean one cluster. Removed nodes are ignored when
/// inferring the cluster (they cannot stand in the way of choosing it) but stay in the scope, where preflight names them.
/// </summary>
internal sealed record ClusterScope(string Cluster, bool Inferred, ImmutableArray<PlanningNode> Nodes)
{
    /// <summary>How a cluster is named in messages; nodes that name none share the empty one.</summary>
    public static string Describe(string cluster) => cluster.Length == 0 ? "(no cluster)" : $"'{cluster}'";

    /// <param name="fleet">Every node the planner may use.</param>
    /// <param name="requested">The cluster asked for; null or empty to infer it.</param>
    /// <param name="isRemoved">True for a node that is no longer enrolled.</param>
    /// <exception cref="ClusterScopeException">An unknown cluster was asked for, or none was and the fleet spans several.</exception>
    public static ClusterScope Choose(IReadOnlyCollection<PlanningNode> fleet, string? requested, Func<PlanningNode, bool> isRemoved)
    {
        var clusters = fleet.Select(n => n.Cluster).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (!string.IsNullOrEmpty(requested))
        {
            return clusters.Contains(requested, StringComparer.Ordinal)
                ? new ClusterScope(requested, Inferred: false, InCluster(fleet, requested))
                : throw new ClusterScopeException(ClusterScopeProblem.Unknown,
                    $"No node is in cluster '{requested}' (known clusters: {List(clusters)}).");
        }

        // With only removed nodes left, their clusters are all there is to choose from.
        var live = fleet.Where(n => !isRemoved(n)).Select(n => n.Cluster).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var candidates = live.Count > 0 ? live : clusters;
        if (candidates.Count > 1)
        {
            throw new ClusterScopeException(ClusterScopeProblem.SeveralClusters,
                $"The fleet's nodes are in {candidates.Count} clusters ({List(candidates)}) and a plan covers exactly one: pass --cluster NAME.");
        }

        var only = candidates.Count == 1 ? candidates[0] : "";
        return new ClusterScope(only, Inferred: true, InCluster(fleet, only));
    }

    private static ImmutableArray<PlanningNode> InCluster(IEnumerable<PlanningNode> fleet, string cluster) =>
        [.. fleet.Where(n => string.Equals(n.Cluster, cluster, StringComparison.Ordinal))];

    private static string List(IEnumerable<string> clusters)
    {
        var names = string.Join(", ", clusters.Select(c => c.Length == 0 ? "(no cluster)" : c));
        return names.Length == 0 ? "none" : names;
    }
}
