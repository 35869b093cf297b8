using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class RunExecutorControlTests
{
    [Fact]
    public async Task Pause_WhileAStepRuns_DispatchesNothingNewUntilResumed()
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = _ => StepBehavior.Ok(150) };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var started = await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b", "c"])), "tester");
        await fleet.WaitForAsync(started.Run.RunId, s => s.Steps[0].State == StepState.Running);

        await fleet.Executor.PauseAsync(started.Run.RunId, "alice", "lunch");
        await fleet.WaitForAsync(started.Run.RunId, s => s.Steps[0].State == StepState.Succeeded);
        await Task.Delay(300);

        Assert.Equal(RunState.Paused, fleet.Executor.Get(started.Run.RunId).Run.State);
        Assert.Equal(["agents/agent1/a"], agent.Commands);
        await fleet.Executor.ResumeAsync(started.Run.RunId, "alice", "back");
        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(RunState.Succeeded, fleet.Executor.Get(started.Run.RunId).Run.State);
        var history = fleet.Audit.Query(started.Run.RunId, 100);
        Assert.Contains(history, e => e is { Who: "alice", What: "run.pause" });
        Assert.Contains(history, e => e is { Who: "alice", What: "run.resume" });
    }

    [Fact]
    public async Task Abort_WhileStepsRun_SendsCancelStepAndDispatchesNothingMore()
    {
        var nodes = TestPlans.Nodes("agent", 3);
        var agents = nodes.Select(n => new SimulatedAgent(n, "agent") { Behavior = _ => StepBehavior.Ok(10_000) }).ToList();
        await using var fleet = await SimulatedFleet.StartAsync(agents);
        var started = await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("agents", nodes, ["a", "b"], concurrency: 2)), "tester");
        await fleet.WaitForAsync(started.Run.RunId, s => s.Steps.Count(x => x.State == StepState.Running) == 2);

        var aborted = await fleet.Executor.AbortAsync(started.Run.RunId, "bob", "wrong cluster");

        Assert.Equal(RunState.Aborted, aborted.State);
        Assert.Contains("aborted by bob: wrong cluster", aborted.Message);
        var final = await fleet.WaitForAsync(started.Run.RunId, s => s.Steps.Count(x => x.State == StepState.Cancelled) == 2);
        Assert.Equal(["agents/agent1/a"], fleet["agent1"].Cancels);
        Assert.Equal(["agents/agent2/a"], fleet["agent2"].Cancels);
        Assert.Empty(fleet["agent3"].Commands);
        Assert.Equal(4, final.Steps.Count(s => s.State == StepState.Pending));
        await Assert.ThrowsAsync<RunStateException>(() => fleet.Executor.ResumeAsync(started.Run.RunId, "bob", "oops"));
    }

    [Fact]
    public async Task Approve_StepNeedsApproval_WaitsAwaitingApprovalThenRunsIt()
    {
        var agent = new SimulatedAgent("server1", "first-server");
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var plan = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["stop", "reset", "start"], requiresApproval: s => s == "reset"));
        var started = await fleet.Executor.StartAsync(plan, "tester");

        var waiting = await fleet.WaitForAsync(started.Run.RunId, s => s.Run.State == RunState.AwaitingApproval);
        await Task.Delay(100);

        Assert.Equal("first/server1/reset", waiting.Run.AwaitingApproval);
        Assert.Equal(["first/server1/stop"], agent.Commands);
        await fleet.Executor.ApproveAsync(started.Run.RunId, "", "carol");
        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(5));
        var result = fleet.Executor.Get(started.Run.RunId);
        Assert.Equal(RunState.Succeeded, result.Run.State);
        Assert.True(result.Steps.Single(s => s.Name == "reset").Approved);
        Assert.Contains(fleet.Audit.Query(started.Run.RunId, 100), e => e is { Who: "carol", What: "run.approve" });
    }

    [Fact]
    public async Task StepTimeout_AgentNeverAnswers_RecordsTimedOutCancelsAndFails()
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = c => c.StepId.EndsWith("/hang", StringComparison.Ordinal) ? StepBehavior.Hangs() : StepBehavior.Ok() };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var plan = TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["hang", "after"], timeout: TimeSpan.FromMilliseconds(300)));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Failed, result.Run.State);
        var hung = result.Steps.Single(s => s.Name == "hang");
        Assert.Equal(StepState.TimedOut, hung.State);
        Assert.Contains("no result within", hung.Error);
        Assert.Contains("agents/agent1/hang", agent.Cancels);
        Assert.Equal(StepState.Pending, result.Steps.Single(s => s.Name == "after").State);
        Assert.Contains("agent1: FAILED: hang [TimedOut", result.Run.Message);
    }

    [Fact]
    public async Task StepUpdate_FromAnotherNode_IsIgnored()
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = _ => StepBehavior.Ok(300) };
        var intruder = new SimulatedAgent("agent2", "agent");
        await using var fleet = await SimulatedFleet.StartAsync([agent, intruder]);
        var started = await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a"])), "tester");
        await fleet.WaitForAsync(started.Run.RunId, s => s.Steps[0].State == StepState.Running);

        fleet.Hub.OnStepUpdate("agent2", new V1.StepUpdate
        {
            RunId = started.Run.RunId, StepId = "agents/agent1/a", State = V1.StepState.Failed,
            Result = new V1.StepResult { State = V1.StepState.Failed, Error = "forged" },
        });
        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(RunState.Succeeded, fleet.Executor.Get(started.Run.RunId).Run.State);
    }
}
