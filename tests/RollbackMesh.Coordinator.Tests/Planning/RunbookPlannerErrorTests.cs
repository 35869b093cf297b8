using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using Xunit;
using RollbackMesh.Protos.Conventions;

namespace RollbackMesh.Coordinator.Tests.Planning;

public sealed class RunbookPlannerErrorTests
{
    private static readonly RunbookCatalog Catalog = RunbookCatalog.Load();
    private static readonly Runbook EmbeddedEtcd = Catalog.Get("k3s-rollback-embedded-etcd");

    private static PlanningException Fails(Runbook runbook, IReadOnlyDictionary<string, string> parameters, IReadOnlyCollection<PlanningNode> fleet) =>
        Assert.Throws<PlanningException>(() => new RunbookPlanner().CreatePlan(runbook, parameters, fleet));

    [Fact]
    public void CreatePlan_MissingAndBadParameters_ListsEveryProblem()
    {
        var parameters = new Dictionary<string, string> { ["k3s_version"] = "latest", ["drain"] = "yes", ["colour"] = "blue" };

        var exception = Fails(EmbeddedEtcd, parameters, TestFleets.K3s(3, 1));

        Assert.Contains(exception.Problems, p => p.StartsWith("missing required parameter 'snapshot_path' (path)", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.Contains("parameter 'k3s_version' (version): 'latest' is not a version", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.Contains("parameter 'drain' (bool): 'yes' is not true or false", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("unknown parameter 'colour'", StringComparison.Ordinal));
        Assert.Equal("k3s-rollback-embedded-etcd", exception.Runbook);
    }

    [Fact]
    public void CreatePlan_PatternMismatch_NamesPatternAndParameter()
    {
        var parameters = new Dictionary<string, string> { ["k3s_version"] = "v1.28.5", ["snapshot_path"] = "/snap" };

        var exception = Fails(EmbeddedEtcd, parameters, TestFleets.K3s(1, 0));

        var problem = Assert.Single(exception.Problems);
        Assert.Contains("parameter 'k3s_version': 'v1.28.5' does not match the pattern", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Restore-Migration")]
    [InlineData("restore/migration")]
    [InlineData("restore-migration --all")]
    [InlineData("-restore")]
    public void CreatePlan_RancherRestoreNameNotAKubernetesName_NamesParameter(string name)
    {
        var parameters = BuiltInParameters.ByRunbook["rancher-rollback-restore"].SetItem("restore_name", name);

        var exception = Fails(Catalog.Get("rancher-rollback-restore"), parameters, TestFleets.K3s(1, 0));

        var problem = Assert.Single(exception.Problems);
        Assert.Contains($"parameter 'restore_name': '{name}' does not match the pattern", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CreatePlan_RancherRestoreWithoutBackupFilename_IsMissingRequiredParameter()
    {
        var parameters = BuiltInParameters.ByRunbook["rancher-rollback-restore"].Remove("backup_filename");

        var exception = Fails(Catalog.Get("rancher-rollback-restore"), parameters, TestFleets.K3s(1, 0));

        Assert.Contains(exception.Problems, p => p.StartsWith("missing required parameter 'backup_filename' (string)", StringComparison.Ordinal));
    }

    [Fact]
    public void CreatePlan_RelativePath_IsRejected()
    {
        var parameters = new Dictionary<string, string> { ["k3s_version"] = "v1.28.5+k3s1", ["snapshot_path"] = "snap/../x" };

        var exception = Fails(EmbeddedEtcd, parameters, TestFleets.K3s(1, 0));

        Assert.Contains(exception.Problems, p => p.Contains("'snapshot_path' (path): 'snap/../x' is not an absolute path", StringComparison.Ordinal));
    }

    [Fact]
    public void CreatePlan_K3sRunbookOnOpenStackFleet_SaysNoServer()
    {
        var exception = Fails(EmbeddedEtcd, BuiltInParameters.ByRunbook[EmbeddedEtcd.Name], TestFleets.OpenStack(1, 2));

        Assert.Contains(exception.Problems, p => p.Contains("the fleet has no node with role 'server' or 'first-server'", StringComparison.Ordinal));
    }

    [Fact]
    public void CreatePlan_OpenStackRunbookWithoutControlNodes_NamesPhaseAndSelector()
    {
        var runbook = Catalog.Get("calico-downgrade-openstack-centos");

        var exception = Fails(runbook, BuiltInParameters.ByRunbook[runbook.Name], [TestFleets.Node("compute-1", NodeRoles.Compute)]);

        Assert.Contains("phase 'calicoctl' selects 'control' but the fleet has no such node", exception.Problems);
        Assert.Contains("phase 'control' selects 'control' but the fleet has no such node", exception.Problems);
    }

    [Fact]
    public void CreatePlan_NoFirstServerMarkedAmongSeveral_AsksForOne()
    {
        var exception = Fails(EmbeddedEtcd, BuiltInParameters.ByRunbook[EmbeddedEtcd.Name], TestFleets.K3s(3, 1, markFirst: false));

        var problem = Assert.Single(exception.Problems);
        Assert.Contains("no server has role 'first-server' among 3 servers (server-1, server-2, server-3)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CreatePlan_TwoFirstServers_IsAnError()
    {
        ImmutableArray<PlanningNode> fleet = [TestFleets.Node("a", NodeRoles.FirstServer), TestFleets.Node("b", NodeRoles.Server, NodeRoles.FirstServer)];

        var exception = Fails(EmbeddedEtcd, BuiltInParameters.ByRunbook[EmbeddedEtcd.Name], fleet);

        Assert.Contains("2 servers have role 'first-server' (a, b); exactly one may", exception.Problems);
    }

    [Fact]
    public void CreatePlan_FirstServerChosenByName_OverridesRole()
    {
        var parameters = BuiltInParameters.ByRunbook[EmbeddedEtcd.Name].Add("first_server_node", "server-2");

        var plan = new RunbookPlanner().CreatePlan(EmbeddedEtcd, parameters, TestFleets.K3s(3, 1));

        var reset = Assert.Single(plan.AllSteps, s => ActionText.KindName(s.Action) == "k3s_cluster_reset");
        Assert.Equal("server-2", reset.Node);
        Assert.Equal(["server-1", "server-3"], plan.AllSteps.Where(s => ActionText.KindName(s.Action) == "move_aside").Select(s => s.Node));
    }

    [Fact]
    public void CreatePlan_FirstServerChosenByLabel_MatchesExactlyOne()
    {
        ImmutableArray<PlanningNode> fleet =
        [
            new("s1", [NodeRoles.Server], ImmutableDictionary<string, string>.Empty.Add("zone", "a")),
            new("s2", [NodeRoles.Server], ImmutableDictionary<string, string>.Empty.Add("zone", "b")),
        ];
        var parameters = BuiltInParameters.ByRunbook[EmbeddedEtcd.Name];

        var plan = new RunbookPlanner().CreatePlan(EmbeddedEtcd, parameters.Add("first_server_node", "zone=b"), fleet);
        var exception = Fails(EmbeddedEtcd, parameters.Add("first_server_node", "zone=c"), fleet);

        Assert.Equal("s2", plan.Phases.Single(p => p.Name == "restore").Waves[0].Nodes[0].Node);
        Assert.Contains(exception.Problems, p => p.Contains("'zone=c', which matches 0 servers", StringComparison.Ordinal));
    }

    [Fact]
    public void CreatePlan_RunbookBuiltInCodeWithAgentsBeforeFirstServer_IsRejected()
    {
        var noop = Catalog.Get("noop");
        var reversed = noop with { Phases = [.. noop.Phases.Reverse()] };

        var exception = Fails(reversed, ImmutableDictionary<string, string>.Empty, TestFleets.K3s(2, 2));

        Assert.Contains(exception.Problems, p => p.Contains("the first server must change before any other server or agent", StringComparison.Ordinal));
    }

    [Fact]
    public void CreatePlan_MissingNodeLabel_NamesNodeAndStep()
    {
        var yaml = """
            name: labels
            version: "1"
            procedure: test.txt
            phases:
              - name: p
                nodes: all
                steps:
                  - name: apply
                    action: kubectl_apply
                    args: { manifest_path: "/srv/${node.labels.site}.yaml" }
            """;
        var runbook = RunbookLoader.Load(yaml, "labels.yaml").Runbook!;

        var exception = Fails(runbook, ImmutableDictionary<string, string>.Empty, [TestFleets.Node("n1", NodeRoles.Agent)]);

        Assert.Contains("argument 'manifest_path' of step 'apply' of phase 'p' on node 'n1': '${node.labels.site}' has no value here", exception.Problems);
    }

    [Fact]
    public void CreatePlan_EnumFromParameterInvalid_IsReported()
    {
        var yaml = """
            name: enum-param
            version: "1"
            procedure: test.txt
            parameters:
              op: { type: string, default: bounce }
            phases:
              - name: p
                nodes: all
                steps:
                  - name: svc
                    action: service
                    args: { unit: k3s, operation: "${op}" }
            """;
        var runbook = RunbookLoader.Load(yaml, "enum.yaml").Runbook!;

        var exception = Fails(runbook, ImmutableDictionary<string, string>.Empty, [TestFleets.Node("n1", NodeRoles.Agent)]);

        Assert.Contains(exception.Problems, p => p.Contains("'bounce' is not one of: start, stop, restart, reload", StringComparison.Ordinal));
    }

    private static Runbook KubectlNodeRunbook(string steps) => RunbookLoader.Load($$"""
        name: drains
        version: "1"
        procedure: test.txt
        phases:
          - name: p
            nodes: first-server
            steps:
        {{steps}}
        """, "drains.yaml").Runbook!;

    [Fact]
    public void CreatePlan_DrainsWithoutCordoningFirst_NamesTheNodeStillSchedulable()
    {
        var runbook = KubectlNodeRunbook("""
                  - { name: drain, for_each: all, action: kubectl_node, args: { node: "${target.name}", operation: drain } }
            """);

        var exception = Fails(runbook, ImmutableDictionary<string, string>.Empty, TestFleets.K3s(1, 2));

        Assert.Equal(
            ["step p/server-1/drain@agent-1 drains agent-1, which was still schedulable when server-1 was drained: cordon every node to drain before the first drain, as kubectl drain N1 N2 ... does",
             "step p/server-1/drain@agent-2 drains agent-2, which was still schedulable when agent-1, server-1 was drained: cordon every node to drain before the first drain, as kubectl drain N1 N2 ... does"],
            exception.Problems.ToArray());
    }

    [Fact]
    public void CreatePlan_RollingDrainThatUncordonsEachNodeBeforeTheNext_IsAllowed()
    {
        var runbook = KubectlNodeRunbook("""
                  - { name: drain, for_each: all, action: kubectl_node, args: { node: "${target.name}", operation: drain } }
                  - { name: uncordon, for_each: all, action: kubectl_node, args: { node: "${target.name}", operation: uncordon } }
            """);

        var plan = new RunbookPlanner().CreatePlan(runbook, ImmutableDictionary<string, string>.Empty, TestFleets.K3s(1, 2));

        Assert.Equal(6, plan.AllSteps.Count());
    }
}
