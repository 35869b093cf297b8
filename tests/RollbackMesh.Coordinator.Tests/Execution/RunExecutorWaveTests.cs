using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class RunExecutorWaveTests
{
    [Fact]
    public async Task Run_ParallelPhaseWithConcurrencyTwo_NeverRunsMoreThanTwoAndFinishesEveryWaveBeforeTheNext()
    {
        var probe = new ConcurrencyProbe();
        var nodes = TestPlans.Nodes("agent", 6);
        var agents = nodes.Select(n => new SimulatedAgent(n, "agent") { Probe = probe, Behavior = _ => StepBehavior.Ok(60) }).ToList();
        await using var fleet = await SimulatedFleet.StartAsync(agents);

        var result = await fleet.RunToEndAsync(TestPlans.Create(TestPlans.Phase("agents", nodes, ["a", "b"], concurrency: 2)));

        Assert.Equal(RunState.Succeeded, result.Run.State);
        Assert.All(result.Steps, s => Assert.Equal(StepState.Succeeded, s.State));
        Assert.Equal(2, probe.Peak);
        // Waves are strict: the last step of wave n finished before the first of wave n+1 was dispatched.
        var history = fleet.Audit.Query(result.Run.RunId, 1000);
        for (var wave = 0; wave < 2; wave++)
        {
            var waveNodes = nodes.Skip(wave * 2).Take(2).ToHashSet();
            var nextNodes = nodes.Skip((wave + 1) * 2).Take(2).ToHashSet();
            var lastDone = history.Select((e, i) => (e, i)).Last(x => x.e.What == "step.succeeded" && waveNodes.Any(n => x.e.Detail.Contains($" on {n}:", StringComparison.Ordinal))).i;
            var firstNext = history.Select((e, i) => (e, i)).First(x => x.e.What == "step.dispatched" && nextNodes.Any(n => x.e.Detail.Contains($" on {n}:", StringComparison.Ordinal))).i;
            Assert.True(lastDone < firstNext, $"wave {wave + 1} started before wave {wave} ended");
        }
    }

    [Fact]
    public async Task Run_SerialPhasesInOrder_EachStepRunsOnceInPlanOrder()
    {
        var agents = new[] { new SimulatedAgent("server1", "first-server"), new SimulatedAgent("agent1", "agent") };
        await using var fleet = await SimulatedFleet.StartAsync(agents);
        var plan = TestPlans.Create(
            TestPlans.Phase("first", ["server1"], ["stop", "start"], concurrency: 1),
            TestPlans.Phase("agents", ["agent1"], ["stop", "start"], concurrency: 1));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Succeeded, result.Run.State);
        var dispatchOrder = fleet.Audit.Query(result.Run.RunId, 100).Where(e => e.What == "step.dispatched").Select(e => e.Detail.Split(' ')[0]).ToList();
        Assert.Equal(["first/server1/stop", "first/server1/start", "agents/agent1/stop", "agents/agent1/start"], dispatchOrder);
        Assert.All(fleet.Agents.Values.SelectMany(a => a.Executions.Values), n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Run_FailuresOverBudget_StopsThePhaseAndFailsWithAnAccount()
    {
        var nodes = TestPlans.Nodes("agent", 6);
        var agents = nodes.Select(n => new SimulatedAgent(n, "agent")
        {
            Behavior = _ => n is "agent1" or "agent2" ? StepBehavior.Fail("disk full", 20) : StepBehavior.Ok(20),
        }).ToList();
        await using var fleet = await SimulatedFleet.StartAsync(agents);
        var plan = TestPlans.Create(
            TestPlans.Phase("agents", nodes, ["a", "b"], concurrency: 2, failureBudget: 1),
            TestPlans.Phase("verify", ["agent6"], ["check"]));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Contains("over its failure budget of 1", result.Run.Message);
        Assert.Contains("agent1: FAILED: a [Failed: disk full]; remaining: b;", result.Run.Message);
        Assert.Contains("nodes not started (all steps remaining): agent3, agent4, agent5, agent6", result.Run.Message);
        Assert.All(nodes.Skip(2), n => Assert.Empty(fleet[n].Commands));
        Assert.All(result.Steps.Where(s => s.Node != "agent1" && s.Node != "agent2"), s => Assert.Equal(StepState.Pending, s.State));
    }

    [Fact]
    public async Task Run_FailureWithinBudget_ContinuesAndFinishesWithFailuresNamingTheFailedNode()
    {
        var nodes = TestPlans.Nodes("agent", 4);
        var agents = nodes.Select(n => new SimulatedAgent(n, "agent")
        {
            Behavior = _ => n == "agent3" ? StepBehavior.Fail("boom") : StepBehavior.Ok(),
        }).ToList();
        await using var fleet = await SimulatedFleet.StartAsync(agents);

        var result = await fleet.RunToEndAsync(TestPlans.Create(TestPlans.Phase("agents", nodes, ["a"], concurrency: 2, failureBudget: 1)));

        Assert.Equal(RunState.SucceededWithFailures, result.Run.State);
        Assert.Contains("finished with failed nodes, within the failure budget: agent3", result.Run.Message);
        Assert.Equal(3, result.Steps.Count(s => s.State == StepState.Succeeded));
    }
}
