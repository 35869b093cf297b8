using System.Collections.Immutable;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class GateJudgeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(1);

    [Fact]
    public void JudgedNodes_NodeFailedWithinBudget_IsNotJudged()
    {
        var phase = TestPlans.Phase("p", ["n1", "n2", "n3"], ["a"], concurrency: 2);

        Assert.Equal<string>(["n1", "n3"], GateJudge.JudgedNodes(phase, ["n2"]));
    }

    [Fact]
    public void LastStepEnded_SeveralStepsPerNode_IsTheLatestUpdate()
    {
        var phase = TestPlans.Phase("p", ["n1"], ["a", "b"]);
        var other = TestPlans.Phase("q", ["n1"], ["c"]);
        StepRecord[] steps = [Step("p/n1/a", "n1", Now), Step("p/n1/b", "n1", Now.AddSeconds(5)), Step("q/n1/c", "n1", Now.AddSeconds(60))];

        var ended = GateJudge.LastStepEnded(phase, steps);

        Assert.Equal(Now.AddSeconds(5), ended["n1"]);
        Assert.Single(GateJudge.LastStepEnded(other, steps));
    }

    [Fact]
    public void Problems_EveryCheckHolds_IsEmpty()
    {
        var gate = Gate(new GateCheck(GateCheckKind.NodesHealthy, "", ""), new GateCheck(GateCheckKind.UnitActive, "k3s", ""),
            new GateCheck(GateCheckKind.VersionMatches, "k3s", @"v1\.29\.4\+k3s1"));

        var problems = GateJudge.Problems(["n1"], gate, _ => View(Health(Now)), Ended(Now), requireFreshHealth: true, new UnitSettling());

        Assert.Empty(problems);
    }

    [Fact]
    public void Problems_NodeNotConnected_NamesTheNodeOnly()
    {
        var problems = GateJudge.Problems(["n1", "n2"], Gate(new GateCheck(GateCheckKind.NodesHealthy, "", "")),
            n => n == "n1" ? View(Health(Now)) with { Connected = false } : null, Ended(Now), requireFreshHealth: false, new UnitSettling());

        Assert.Equal<string>(["n1: not connected or not reporting", "n2: not connected or not reporting"], problems);
    }

    [Fact]
    public void Problems_HealthOlderThanTheNodesLastStep_IsNotFreshWhenFreshnessIsRequired()
    {
        var gate = Gate(new GateCheck(GateCheckKind.NodesHealthy, "", ""));
        var stale = View(Health(Now.AddSeconds(-1)));

        Assert.Equal<string>(["n1: no health report since its last step of the phase ended"],
            GateJudge.Problems(["n1"], gate, _ => stale, Ended(Now), requireFreshHealth: true, new UnitSettling()));
        Assert.Empty(GateJudge.Problems(["n1"], gate, _ => stale, Ended(Now), requireFreshHealth: false, new UnitSettling()));
    }

    [Fact]
    public void Problems_UnhealthyWrongVersionAndUnitDown_EachNamed()
    {
        var gate = Gate(new GateCheck(GateCheckKind.NodesHealthy, "", ""), new GateCheck(GateCheckKind.UnitActive, "k3s", ""),
            new GateCheck(GateCheckKind.VersionMatches, "k3s", @"v1\.29\.4\+k3s10"), new GateCheck(GateCheckKind.VersionMatches, "etcd", "3"));
        var health = Health(Now) with
        {
            Healthy = false,
            Problems = ["disk full"],
            Units = [new UnitStatus("k3s.service", "inactive", "dead", "")],
        };

        var problems = GateJudge.Problems(["n1"], gate, _ => View(health), Ended(Now), requireFreshHealth: true, new UnitSettling());

        Assert.Equal<string>(
            [
                "n1: unhealthy: disk full",
                "n1: unit k3s is inactive/dead",
                @"n1: k3s is v1.29.4+k3s1, expected /v1\.29\.4\+k3s10/",
                "n1: etcd version not reported",
            ],
            problems);
    }

    [Fact]
    public void Problems_InvalidVersionPattern_SaysSo()
    {
        var gate = Gate(new GateCheck(GateCheckKind.VersionMatches, "k3s", "(["));

        var problems = GateJudge.Problems(["n1"], gate, _ => View(Health(Now)), Ended(Now), requireFreshHealth: true, new UnitSettling());

        Assert.Equal<string>(["n1: version pattern /([/ is not a valid regular expression"], problems);
    }

    private static PlanGate Gate(params GateCheck[] checks) => new([.. checks], TimeSpan.FromSeconds(30));

    private static ImmutableDictionary<string, DateTimeOffset> Ended(DateTimeOffset at) =>
        ImmutableDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal).Add("n1", at);

    private static NodeHealth Health(DateTimeOffset receivedAt) => new(
        receivedAt, receivedAt, true, [], [new UnitStatus("k3s.service", "active", "running", "")],
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("k3s", "v1.29.4+k3s1")]), [], "none");

    private static NodeView View(NodeHealth health) => new(
        new NodeIdentity("n1", ["agent"], ImmutableSortedDictionary<string, string>.Empty, "0.1.0", [], ImmutableSortedDictionary<string, string>.Empty),
        health.ReceivedAt, Connected: true, Stale: false, health);

    private static StepRecord Step(string stepId, string node, DateTimeOffset updatedAt) =>
        new("run-1", stepId, 0, node, stepId.Split('/')[0], stepId.Split('/')[2], StepState.Succeeded, "", "", updatedAt, false, 1);
}
