using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Runbooks;

/// <summary>Issue 12 item 5: a K3s agent's unit gate checks more than "active".</summary>
public sealed class K3sAgentGateTests
{
    [Theory]
    [InlineData("k3s-rollback-embedded-etcd")]
    [InlineData("k3s-rollback-external-db")]
    [InlineData("k3s-rollback-sqlite")]
    public void K3sRunbook_AgentStartPhase_UnitMustStayActiveWithoutRestartForThirtySeconds(string name)
    {
        var runbook = RunbookCatalog.Load().Get(name);
        var start = Assert.Single(runbook.Phases, p => p.Name == "start-agents");

        var check = Assert.Single(start.Gate!.Checks, c => c.Kind == GateCheckKind.UnitActive);

        Assert.Equal("${agent_unit}", check.Target);
        Assert.Equal(UnitSettling.Format(TimeSpan.FromSeconds(30)), check.Argument);
        // That the agent rejoined is proven afterwards on the first server, for every node including the agents.
        var verify = Assert.Single(runbook.Phases, p => p.Name == "verify-nodes");
        Assert.Contains(verify.Steps, s => s.Kind == "wait_node_ready" && s.ForEach is not null);
    }
}
