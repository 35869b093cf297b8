using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class FailureBudgetTests
{
    [Fact]
    public void FailedNodes_FailedTimedOutAndSucceededSteps_NamesEachFailedNodeOnce()
    {
        StepRecord[] steps =
        [
            Step("p/n1/a", StepState.Failed), Step("p/n1/b", StepState.Failed), Step("p/n2/a", StepState.TimedOut),
            Step("p/n3/a", StepState.Succeeded), Step("p/n4/a", StepState.Running), Step("p/n5/a", StepState.Skipped),
        ];

        Assert.Equal<string>(["n1", "n2"], FailureBudget.FailedNodes(steps));
    }

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(0, 1, true)]
    [InlineData(2, 2, false)]
    [InlineData(2, 3, true)]
    public void IsExceeded_FailuresAgainstTheBudget_OnlyMoreThanTheBudgetExceedsIt(int budget, int failed, bool exceeded)
    {
        var phase = TestPlans.Phase("p", ["n1"], ["a"], failureBudget: budget);

        Assert.Equal(exceeded, FailureBudget.IsExceeded(phase, failed));
    }

    [Fact]
    public void PhaseVerdict_OverBudget_NamesTheFailedNodesAndTheBudget()
    {
        var phase = TestPlans.Phase("servers", ["n1", "n2"], ["a"], failureBudget: 1);

        Assert.Null(FailureBudget.PhaseVerdict(phase, ["n1"]));
        Assert.Equal("phase servers: 2 node(s) failed (n1, n2), over its failure budget of 1; the phase was stopped",
            FailureBudget.PhaseVerdict(phase, ["n1", "n2"]));
    }

    [Fact]
    public void StepsToSkip_NodeFailedEarlier_ItsPendingStepsFromThisPhaseOn()
    {
        var plan = TestPlans.Create(
            TestPlans.Phase("one", ["n1", "n2"], ["a", "b"]),
            TestPlans.Phase("two", ["n1", "n2"], ["c"]));
        var steps = plan.AllSteps.ToDictionary(s => s.StepId, s => Step(s.StepId, StepState.Pending));
        steps["one/n1/a"] = Step("one/n1/a", StepState.Failed);
        var failedIn = new Dictionary<string, string> { ["n1"] = "one" };

        Assert.Equal<(string, string)>([("one/n1/b", "one"), ("two/n1/c", "one")], FailureBudget.StepsToSkip(plan, 0, failedIn, steps));
        Assert.Equal<(string, string)>([("two/n1/c", "one")], FailureBudget.StepsToSkip(plan, 1, failedIn, steps));
    }

    [Fact]
    public void RunVerdict_NoFailure_Succeeded()
    {
        Assert.Equal((RunState.Succeeded, "completed"),
            FailureBudget.RunVerdict([Step("p/n1/a", StepState.Succeeded), Step("p/n2/a", StepState.Skipped)]));
    }

    [Fact]
    public void RunVerdict_FailuresWithinBudget_SucceededWithFailuresNamingTheNodes()
    {
        var (state, message) = FailureBudget.RunVerdict([Step("p/n1/a", StepState.Succeeded), Step("p/n2/a", StepState.Failed)]);

        Assert.Equal(RunState.SucceededWithFailures, state);
        Assert.Equal("finished with failed nodes, within the failure budget: n2 (none of their later steps ran)", message);
    }

    private static StepRecord Step(string stepId, StepState state)
    {
        var parts = stepId.Split('/');
        return new StepRecord("run-1", stepId, 0, parts[1], parts[0], parts[2], state, "", "", DateTimeOffset.UnixEpoch, false, 1);
    }
}
