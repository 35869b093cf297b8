using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.Testbeds.KubeApi;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>
/// kubectl_node_coverage runs the real kubectl client against the test API server: the cluster's own node list is
/// compared with the enrolled agents and the operator's exclusions (issue 12 item 4).
/// </summary>
public sealed class KubectlNodeCoverageStandInApiServerTests
{
    private static RollbackMesh.V1.Action Coverage(string[] enrolled, string[] excluded)
    {
        var check = new KubectlNodeCoverage();
        check.Enrolled.AddRange(enrolled);
        check.Excluded.AddRange(excluded);
        return new RollbackMesh.V1.Action { KubectlNodeCoverage = check };
    }

    private static async Task<RealKubectlHarness> ClusterOfThreeAsync()
    {
        var k = await RealKubectlHarness.StartAsync();
        foreach (var node in new[] { "server-1", "agent-1", "agent-2" })
        {
            k.Api.AddNode(node, ready: true, DateTimeOffset.UtcNow, "v1.29.4+k3s1");
        }

        return k;
    }

    [KubectlFact]
    public async Task Coverage_RealKubectlStandInApiServerNodeWithoutAgent_RefusesNamingIt()
    {
        await using var k = await ClusterOfThreeAsync();
        var check = k.Agent.Build(Coverage(["server-1", "agent-1", "openstack-ctl-1"], []));

        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => check.ExecuteAsync(k.Agent.Context(), default));
        Assert.Contains("without an enrolled agent: agent-2;", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("agent-1", ex.Message, StringComparison.Ordinal);
        Assert.Contains(k.Api.Requests, r => r.StartsWith("GET /api/v1/nodes", StringComparison.Ordinal));
    }

    [KubectlFact]
    public async Task Coverage_RealKubectlStandInApiServerMissingNodeExcluded_Passes()
    {
        await using var k = await ClusterOfThreeAsync();
        var check = k.Agent.Build(Coverage(["server-1", "agent-1"], ["agent-2"]));

        Assert.Equal("all 3 cluster node(s) have an agent or are excluded (agent-2)", await check.ExecuteAsync(k.Agent.Context(), default));
    }

    [KubectlFact]
    public async Task Coverage_RealKubectlStandInApiServerEveryNodeEnrolled_Passes()
    {
        await using var k = await ClusterOfThreeAsync();
        var check = k.Agent.Build(Coverage(["agent-2", "server-1", "agent-1"], []));

        Assert.Equal("all 3 cluster node(s) have an agent", await check.ExecuteAsync(k.Agent.Context(), default));
    }

    [Fact]
    public void Coverage_BadNodeName_IsRefusedBeforeKubectlRuns()
    {
        using var agent = new AgentHarness();
        var ex = Assert.Throws<ActionValidationException>(() => agent.Build(Coverage(["server-1"], ["Bad Name;rm"])));
        Assert.Contains("excluded", ex.Message, StringComparison.Ordinal);
    }
}
