using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Protos.Conventions;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Planning;

public sealed class ClusterScopeTests
{
    private static readonly Runbook Noop = RunbookCatalog.Load().Get("noop");
    private static readonly Dictionary<string, string> NoParameters = [];

    private static PlanningNode Node(string name, string cluster, params string[] roles) =>
        new(name, [.. roles], ImmutableDictionary<string, string>.Empty, cluster);

    /// <summary>Two K3s clusters, each with one first server, one server and one agent.</summary>
    private static ImmutableArray<PlanningNode> TwoClusters() =>
    [
        Node("a-first", "alpha", NodeRoles.Server, NodeRoles.FirstServer), Node("a-server", "alpha", NodeRoles.Server), Node("a-agent", "alpha", NodeRoles.Agent),
        Node("b-first", "beta", NodeRoles.Server, NodeRoles.FirstServer), Node("b-server", "beta", NodeRoles.Server), Node("b-agent", "beta", NodeRoles.Agent),
    ];

    private static Plan PlanOn(ImmutableArray<PlanningNode> fleet, string? cluster, Func<PlanningNode, bool>? removed = null)
    {
        var scope = ClusterScope.Choose(fleet, cluster, removed ?? (_ => false));
        return new RunbookPlanner().CreatePlan(Noop, NoParameters, scope.Nodes, scope.Cluster);
    }

    [Fact]
    public void Choose_OneClusterAndNoneAsked_InfersItWithEveryNode()
    {
        var fleet = TwoClusters().Where(n => n.Cluster == "beta").ToImmutableArray();

        var scope = ClusterScope.Choose(fleet, null, _ => false);

        Assert.Equal("beta", scope.Cluster);
        Assert.True(scope.Inferred);
        Assert.Equal(fleet.Select(n => n.Name), scope.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void Choose_SeveralClustersAndNoneAsked_RefusedNamingEveryCluster()
    {
        var fleet = TwoClusters().Add(Node("loner", ""));

        var refusal = Assert.Throws<ClusterScopeException>(() => ClusterScope.Choose(fleet, "", _ => false));

        Assert.Equal(ClusterScopeProblem.SeveralClusters, refusal.Problem);
        Assert.Contains("3 clusters ((no cluster), alpha, beta)", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("--cluster", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_UnknownCluster_RefusedNamingItAndTheKnownOnes()
    {
        var refusal = Assert.Throws<ClusterScopeException>(() => ClusterScope.Choose(TwoClusters(), "gamma", _ => false));

        Assert.Equal(ClusterScopeProblem.Unknown, refusal.Problem);
        Assert.Equal("No node is in cluster 'gamma' (known clusters: alpha, beta).", refusal.Message);
    }

    [Fact]
    public void Choose_OtherClusterOnlyHasRemovedNodes_InfersTheLiveOneAndLeavesTheRemovedOut()
    {
        var fleet = TwoClusters();

        var scope = ClusterScope.Choose(fleet, null, n => n.Cluster == "alpha");

        Assert.Equal("beta", scope.Cluster);
        Assert.All(scope.Nodes, n => Assert.Equal("beta", n.Cluster));
    }

    [Fact]
    public void CreatePlan_ClusterAsked_CoversOnlyItsNodesWithItsOwnFirstServer()
    {
        var plan = PlanOn(TwoClusters(), "beta");

        Assert.Equal("beta", plan.Cluster);
        Assert.Equal(["b-first", "b-server", "b-agent"], plan.AllSteps.Select(s => s.Node));
        Assert.Equal("b-first", Assert.Single(Assert.Single(plan.Phases[0].Waves).Nodes).Node);
    }

    [Fact]
    public void CreatePlan_EachClusterOfTwoWithAFirstServer_EachPlanHasItsFirstServerWhereTheWholeFleetHasTwo()
    {
        // The same nodes as one fleet (as before clusters): two servers claim first-server. Scoped, each cluster has one.
        var unscoped = TwoClusters().Select(n => n with { Cluster = "" }).ToList();
        var whole = Assert.Throws<PlanningException>(() => new RunbookPlanner().CreatePlan(Noop, NoParameters, unscoped));
        Assert.Contains("2 servers have role 'first-server'", whole.Message, StringComparison.Ordinal);

        Assert.Equal("a-first", PlanOn(TwoClusters(), "alpha").Phases[0].Waves[0].Nodes[0].Node);
        Assert.Equal("b-first", PlanOn(TwoClusters(), "beta").Phases[0].Waves[0].Nodes[0].Node);
    }

    [Fact]
    public void CreatePlan_NodeCoveragePreflight_ComparesTheClusterWithItsOwnAgentsOnly()
    {
        var runbook = RunbookCatalog.Load().Get("k3s-rollback-sqlite");
        var alpha = ClusterScope.Choose(TwoClusters(), "alpha", _ => false);

        var plan = new RunbookPlanner().CreatePlan(runbook, BuiltInParameters.ByRunbook["k3s-rollback-sqlite"], alpha.Nodes, alpha.Cluster);

        var coverage = Assert.Single(plan.Preflight, s => s.Action.KubectlNodeCoverage is not null);
        Assert.Equal(["a-agent", "a-first", "a-server"], coverage.Action.KubectlNodeCoverage.Enrolled);
        Assert.Equal("a-first", coverage.Node);
    }

    [Fact]
    public void CreatePlan_NodeOfAnotherCluster_RefusedNamingIt()
    {
        var fleet = TwoClusters().Where(n => n.Cluster == "alpha").Append(Node("b-agent", "beta", NodeRoles.Agent)).ToList();

        var refusal = Assert.Throws<PlanningException>(() => new RunbookPlanner().CreatePlan(Noop, NoParameters, fleet, "alpha"));

        Assert.Contains("a plan covers one cluster, 'alpha', but the fleet given has nodes of others: b-agent ('beta')", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreatePlan_SameNodesOtherClusterName_DifferentHash()
    {
        var alpha = TwoClusters().Where(n => n.Cluster == "alpha").ToList();
        var renamed = alpha.Select(n => n with { Cluster = "gamma" }).ToList();

        var first = new RunbookPlanner().CreatePlan(Noop, NoParameters, alpha, "alpha").Hash;
        var second = new RunbookPlanner().CreatePlan(Noop, NoParameters, renamed, "gamma").Hash;

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Compute_ClusterSetOnAPlanWithoutOne_DifferentHash()
    {
        var plan = new RunbookPlanner().CreatePlan(Noop, NoParameters, TestFleets.K3s(1, 1));

        Assert.Equal("", plan.Cluster);
        Assert.Equal(plan.Hash, PlanHasher.Compute(plan));
        Assert.NotEqual(plan.Hash, PlanHasher.Compute(plan with { Cluster = "alpha" }));
    }
}
