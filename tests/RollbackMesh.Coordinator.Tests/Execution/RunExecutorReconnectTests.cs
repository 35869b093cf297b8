using System.Diagnostics;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class RunExecutorReconnectTests
{
    private static async Task<(SimulatedFleet Fleet, SimulatedAgent Agent, string RunId)> StartAsync(int firstStepMs = 0)
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = c => StepBehavior.Ok(c.StepId.EndsWith("/a", StringComparison.Ordinal) ? firstStepMs : 0) };
        var fleet = await SimulatedFleet.StartAsync([agent]);
        var started = await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"])), "tester");
        return (fleet, agent, started.Run.RunId);
    }

    [Fact]
    public async Task Reconnect_StepFinishedWhileTheStreamWasDown_SettledFromTheJournalWithoutResending()
    {
        var (fleet, agent, runId) = await StartAsync(firstStepMs: 400);
        await using var _ = fleet;
        await fleet.WaitForAsync(runId, s => s.Steps[0].State == StepState.Running);

        await agent.DisconnectAsync();
        await Task.Delay(700); // the step ends meanwhile; its update is lost with the stream
        await agent.ConnectAsync(fleet.Hub);
        await fleet.Executor.WaitAsync(runId).WaitAsync(TimeSpan.FromSeconds(10));

        var result = fleet.Executor.Get(runId);
        Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
        Assert.Equal(["agents/agent1/a", "agents/agent1/b"], agent.Commands);
        Assert.Equal(1, result.Steps[0].DispatchCount);
        Assert.All(agent.Executions.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Reconnect_AgentRestartedMidStep_StepFailsAsInterruptedAndNothingLaterRuns()
    {
        var (fleet, agent, runId) = await StartAsync(firstStepMs: 2000);
        await using var _ = fleet;
        await fleet.WaitForAsync(runId, s => s.Steps[0].State == StepState.Running);

        await agent.CrashAsync();
        await Task.Delay(100);
        await agent.ConnectAsync(fleet.Hub);
        await fleet.Executor.WaitAsync(runId).WaitAsync(TimeSpan.FromSeconds(10));

        var result = fleet.Executor.Get(runId);
        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Equal(StepState.Failed, result.Steps[0].State);
        Assert.Contains("interrupted, state unknown", result.Steps[0].Error);
        Assert.Contains("interrupted, state unknown", result.Run.Message);
        Assert.Equal(["agents/agent1/a"], agent.Commands);
    }

    [Fact]
    public async Task Reconnect_AgentRestartedMidStepAndItsReportAfterHelloSaysRunning_SettledAsInterruptedWithoutWaitingOutTheTimeout()
    {
        // Issue 16 item 6a: the report an agent sends after Hello answered the coordinator's journal query first and
        // said RUNNING for the step that died with the agent; the coordinator then waited out the whole step timeout.
        var agent = new SimulatedAgent("agent1", "agent")
        {
            Behavior = c => StepBehavior.Ok(c.StepId.EndsWith("/a", StringComparison.Ordinal) ? 60_000 : 0),
            StaleReportAfterHello = true,
        };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var plan = TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"], timeout: TimeSpan.FromMinutes(10)));
        var runId = (await fleet.Executor.StartAsync(plan, "tester")).Run.RunId;
        await fleet.WaitForAsync(runId, s => s.Steps[0].State == StepState.Running);

        await agent.CrashAsync();
        await Task.Delay(100);
        await agent.ConnectAsync(fleet.Hub);
        await fleet.Executor.WaitAsync(runId).WaitAsync(TimeSpan.FromSeconds(10));

        var result = fleet.Executor.Get(runId);
        Assert.Equal(StepState.Failed, result.Steps[0].State);
        Assert.Contains("interrupted, state unknown", result.Steps[0].Error);
        Assert.Equal(2, result.Steps[0].DispatchCount); // resent with the same id so the agent answered for it
        Assert.Equal(1, agent.Executions["agents/agent1/a"]);
        Assert.Equal(StepState.Pending, result.Steps[1].State);
    }

    [Fact]
    public async Task Reconnect_StreamDroppedWhileTheStepRunsOn_ResendJoinsTheRunningStepWhichRunsOnce()
    {
        var agent = new SimulatedAgent("agent1", "agent")
        {
            Behavior = c => StepBehavior.Ok(c.StepId.EndsWith("/a", StringComparison.Ordinal) ? 1500 : 0),
            StaleReportAfterHello = true,
        };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var runId = (await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"])), "tester")).Run.RunId;
        await fleet.WaitForAsync(runId, s => s.Steps[0].State == StepState.Running);

        await agent.DisconnectAsync();
        await Task.Delay(100);
        await agent.ConnectAsync(fleet.Hub);
        await fleet.Executor.WaitAsync(runId).WaitAsync(TimeSpan.FromSeconds(10));

        var result = fleet.Executor.Get(runId);
        Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
        Assert.All(agent.Executions.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Reconnect_CommandLostWithTheStream_ResentWithTheSameIdAndRunsOnce()
    {
        var agent = new SimulatedAgent("agent1", "agent") { LoseNextStep = true };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var started = await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"])), "tester");
        await fleet.WaitForAsync(started.Run.RunId, _ => !agent.Connected);

        await Task.Delay(200);
        await agent.ConnectAsync(fleet.Hub);
        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(10));

        var result = fleet.Executor.Get(started.Run.RunId);
        Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
        Assert.Equal(2, result.Steps[0].DispatchCount);
        Assert.Equal(["agents/agent1/a", "agents/agent1/b"], agent.Commands);
        Assert.Equal(1, agent.Executions["agents/agent1/a"]);
    }

    [Fact]
    public async Task Send_AgentDownWhenTheCommandIsWritten_ResentAfterItReconnects()
    {
        var agent = new SimulatedAgent("agent1", "agent") { BreakOnNextStep = true };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var started = await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"])), "tester");
        await fleet.WaitForAsync(started.Run.RunId, _ => !agent.Connected);

        await Task.Delay(300);
        await agent.ConnectAsync(fleet.Hub);
        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(10));

        var result = fleet.Executor.Get(started.Run.RunId);
        Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
        Assert.Equal("agents/agent1/a", result.Steps[0].StepId);
        Assert.Equal(2, result.Steps[0].DispatchCount);
        Assert.Equal(["agents/agent1/a", "agents/agent1/b"], agent.Commands);
    }

    [Fact]
    public async Task Send_AgentDownAndNeverBack_FailsWithinTheReconnectTimeoutSayingTheStepWasNotSent()
    {
        var agent = new SimulatedAgent("agent1", "agent") { BreakOnNextStep = true };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var started = await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"])), "tester");

        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(10));

        var result = fleet.Executor.Get(started.Run.RunId);
        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Equal(StepState.Failed, result.Steps[0].State);
        Assert.Contains("did not reconnect", result.Steps[0].Error);
        Assert.Contains("not sent", result.Steps[0].Error);
        Assert.Empty(agent.Commands);
        Assert.Equal(StepState.Pending, result.Steps[1].State);
    }
    [Fact]
    public async Task Wait_AgentGoneMidStepAndNeverBack_FailsAfterTheReconnectTimeoutNotTheStepTimeout()
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = _ => StepBehavior.Ok(60_000) };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var plan = TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"], timeout: TimeSpan.FromMinutes(10)));
        var started = await fleet.Executor.StartAsync(plan, "tester");
        await fleet.WaitForAsync(started.Run.RunId, s => s.Steps[0].State == StepState.Running);

        var gone = Stopwatch.StartNew();
        await agent.DisconnectAsync();
        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(15));

        var result = fleet.Executor.Get(started.Run.RunId);
        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Equal(StepState.Failed, result.Steps[0].State);
        Assert.Contains("disconnected while the step was in flight and did not reconnect within 00:00:02", result.Steps[0].Error);
        Assert.Contains("outcome is unknown", result.Steps[0].Error);
        Assert.InRange(gone.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(15));
        Assert.Equal(["agents/agent1/a"], agent.Commands);
    }

    [Fact]
    public async Task Wait_AgentBackWithinTheReconnectTimeout_StepKeepsWaitingForItsOutcome()
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = c => StepBehavior.Ok(c.StepId.EndsWith("/a", StringComparison.Ordinal) ? 3000 : 0) };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var plan = TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"], timeout: TimeSpan.FromMinutes(10)));
        var started = await fleet.Executor.StartAsync(plan, "tester");
        await fleet.WaitForAsync(started.Run.RunId, s => s.Steps[0].State == StepState.Running);

        // Down twice, each time for less than the 2 s reconnect timeout but 2.6 s in total: the clock restarts.
        await agent.DisconnectAsync();
        await Task.Delay(1300);
        await agent.ConnectAsync(fleet.Hub);
        await Task.Delay(200);
        await agent.DisconnectAsync();
        await Task.Delay(1300);
        await agent.ConnectAsync(fleet.Hub);
        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(15));

        var result = fleet.Executor.Get(started.Run.RunId);
        Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
        Assert.Equal(1, agent.Executions["agents/agent1/a"]);
    }
}
