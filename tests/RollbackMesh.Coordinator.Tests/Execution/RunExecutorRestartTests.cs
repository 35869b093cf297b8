using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class RunExecutorRestartTests
{
    [Fact]
    public async Task Restart_MidRunWithStepsInFlight_ResumesFromTheStoreAndNoStepRunsTwiceOrIsLost()
    {
        var nodes = TestPlans.Nodes("agent", 8);
        var agents = nodes.Select(n => new SimulatedAgent(n, "agent") { Behavior = _ => StepBehavior.Ok(120) }).ToList();
        await using var fleet = await SimulatedFleet.StartAsync(agents);
        var plan = TestPlans.Create(
            TestPlans.Phase("first", ["agent1"], ["stop", "start"], concurrency: 1),
            TestPlans.Phase("rest", nodes[1..], ["stop", "swap", "start"], concurrency: 3, gate: new([], TimeSpan.FromSeconds(5))));
        var started = await fleet.Executor.StartAsync(plan, "tester");
        var runId = started.Run.RunId;
        await fleet.WaitForAsync(runId, s => s.Steps.Count(x => x.State == StepState.Succeeded) >= 4 && s.Steps.Any(x => x.State.IsInFlight()));

        await fleet.RestartCoordinatorAsync();
        var stored = fleet.Executor.Get(runId);
        Assert.Equal(RunState.Running, stored.Run.State);
        Assert.Contains(stored.Steps, s => s.State.IsInFlight());
        Assert.Equal(runId, Assert.Single(fleet.Executor.ResumeUnfinished()));
        await fleet.Executor.WaitAsync(runId).WaitAsync(TimeSpan.FromSeconds(20));

        var result = fleet.Executor.Get(runId);
        Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
        Assert.All(result.Steps, s => Assert.Equal(StepState.Succeeded, s.State));
        var executions = fleet.Agents.Values.SelectMany(a => a.Executions).ToList();
        Assert.Equal(plan.AllSteps.Select(s => s.StepId).Order(), executions.Select(e => e.Key).Order());
        Assert.All(executions, e => Assert.Equal(1, e.Value));
        // Steps that had succeeded before the restart were never sent again.
        var doneBefore = stored.Steps.Where(s => s.State.IsSuccess()).ToList();
        Assert.All(doneBefore, s => Assert.Single(fleet[s.Node].Commands, c => c == s.StepId));
    }

    [Fact]
    public async Task Restart_StepFinishedWhileCoordinatorWasDown_SettledFromTheJournalWithoutResending()
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = _ => StepBehavior.Ok(300) };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var started = await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"])), "tester");
        await fleet.WaitForAsync(started.Run.RunId, s => s.Steps[0].State == StepState.Running);

        fleet.StopHearingAgents();
        await agent.DisconnectAsync();
        await Task.Delay(500);
        await fleet.RestartCoordinatorAsync();
        Assert.Equal(StepState.Running, fleet.Executor.Get(started.Run.RunId).Steps[0].State);
        fleet.Executor.ResumeUnfinished();
        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(RunState.Succeeded, fleet.Executor.Get(started.Run.RunId).Run.State);
        Assert.Equal(["agents/agent1/a", "agents/agent1/b"], agent.Commands);
        Assert.Equal(1, fleet.Executor.Get(started.Run.RunId).Steps[0].DispatchCount);
    }
}
