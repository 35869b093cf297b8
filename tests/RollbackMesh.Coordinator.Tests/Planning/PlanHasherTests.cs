using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Planning;

public sealed class PlanHasherTests
{
    private static readonly Runbook Runbook = RunbookCatalog.Load().Get("k3s-rollback-embedded-etcd");
    private static readonly ImmutableDictionary<string, string> Parameters = BuiltInParameters.ByRunbook["k3s-rollback-embedded-etcd"];

    private static string HashOf(IReadOnlyDictionary<string, string> parameters, IReadOnlyCollection<PlanningNode> fleet) =>
        new RunbookPlanner().CreatePlan(Runbook, parameters, fleet).Hash;

    [Fact]
    public void CreatePlan_SameInputInAnyOrder_SameHash()
    {
        var fleet = TestFleets.K3s(3, 4);
        var reordered = new Dictionary<string, string>(Parameters.Reverse());

        var first = HashOf(Parameters, fleet);
        var second = HashOf(reordered, [.. fleet.Reverse()]);

        Assert.Equal(first, second);
        Assert.Matches("^sha256:[0-9a-f]{64}$", first);
    }

    [Fact]
    public void CreatePlan_ParameterChanged_DifferentHash()
    {
        var fleet = TestFleets.K3s(3, 4);

        Assert.NotEqual(HashOf(Parameters, fleet), HashOf(Parameters.SetItem("snapshot_path", "/other"), fleet));
    }

    [Fact]
    public void CreatePlan_DefaultMadeExplicit_SameHash()
    {
        var fleet = TestFleets.K3s(3, 4);

        Assert.Equal(HashOf(Parameters, fleet), HashOf(Parameters.SetItem("agent_unit", "k3s-agent"), fleet));
    }

    [Fact]
    public void CreatePlan_FleetChanged_DifferentHash()
    {
        Assert.NotEqual(HashOf(Parameters, TestFleets.K3s(3, 4)), HashOf(Parameters, TestFleets.K3s(3, 5)));
    }

    [Fact]
    public void Compute_OnlyActionBytesDiffer_DifferentHash()
    {
        var plan = new RunbookPlanner().CreatePlan(Runbook, Parameters, TestFleets.K3s(1, 0));
        var step = plan.Preflight[0];
        var changed = step.Action.Clone();
        changed.EtcdSnapshotVerify.SnapshotPath += "x";

        var tampered = plan with { Preflight = [step with { Action = changed }, .. plan.Preflight.Skip(1)] };

        Assert.Equal(plan.Hash, PlanHasher.Compute(plan));
        Assert.NotEqual(plan.Hash, PlanHasher.Compute(tampered));
    }
}
