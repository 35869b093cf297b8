using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class RunExecutorNodeFailureTests
{
    [Fact]
    public async Task Run_NodeFailsWithinBudget_NoneOfItsLaterStepsRunAndTheyAreSkippedNamingThePhase()
    {
        var nodes = TestPlans.Nodes("agent", 3);
        var agents = nodes.Select(n => new SimulatedAgent(n, "agent")).ToList();
        agents[1].Behavior = c =>
        {
            // agent2 fails its first step and reports unhealthy from then on: a gate that judged it could never pass.
            agents[1].Healthy = false;
            return c.StepId == "drain/agent2/a" ? StepBehavior.Fail("disk full") : StepBehavior.Ok();
        };
        await using var fleet = await SimulatedFleet.StartAsync(agents);
        var gate = new PlanGate([new GateCheck(GateCheckKind.NodesHealthy, "", "")], TimeSpan.FromSeconds(2));
        var plan = TestPlans.Create(
            TestPlans.Phase("drain", nodes, ["a", "b"], failureBudget: 1),
            TestPlans.Phase("upgrade", nodes, ["c"], gate: gate));

        var result = await fleet.RunToEndAsync(plan);

        Assert.True(result.Run.State == RunState.SucceededWithFailures, result.Run.Message);
        Assert.Equal(["drain/agent2/a"], fleet["agent2"].Commands);
        var skipped = result.Steps.Where(s => s.Node == "agent2" && s.Name != "a").ToList();
        Assert.Equal(["b", "c"], skipped.Select(s => s.Name));
        Assert.All(skipped, s => Assert.Equal(StepState.Skipped, s.State));
        Assert.All(skipped, s => Assert.Equal("node failed in phase drain", s.Error));
        Assert.StartsWith("finished with failed nodes, within the failure budget: agent2 (none of their later steps ran)\n", result.Run.Message, StringComparison.Ordinal);
        Assert.Contains("agent2: FAILED: a [Failed: disk full]; SKIPPED (node failed in phase drain): b, c;", result.Run.Message);
        Assert.Contains("2 nodes that completed all their steps: agent1, agent3", result.Run.Message);
        Assert.All(nodes.Where(n => n != "agent2"), n => Assert.Equal(1, fleet[n].Executions[$"upgrade/{n}/c"]));
        var audit = fleet.Audit.Query(result.Run.RunId, 1000);
        Assert.Contains(audit, e => e.What == "step.skipped" && e.Detail.StartsWith("upgrade/agent2/c", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.What == "run.succeeded_with_failures");
    }
}
