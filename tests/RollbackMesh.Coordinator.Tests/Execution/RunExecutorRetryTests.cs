using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class RunExecutorRetryTests
{
    /// <summary>A plan whose hash is the real one over its content, as every planned run has (a retry checks it).</summary>
    private static Plan Hashed(Plan plan) => plan with { Hash = PlanHasher.Compute(plan) };

    [Fact]
    public async Task Retry_StepFailedOnce_RunContinuesFromItAndNoSucceededStepIsSentAgain()
    {
        var agents = new[] { new SimulatedAgent("agent1", "agent"), new SimulatedAgent("agent2", "agent") };
        // agent1's step b fails as long as the agent is asked under the first attempt's id: its journal would answer a
        // resend of that id with the failure, so only a new attempt id can succeed.
        agents[0].Behavior = c => c.StepId == "upgrade/agent1/b" ? StepBehavior.Fail("file /srv/x missing") : StepBehavior.Ok();
        await using var fleet = await SimulatedFleet.StartAsync(agents);
        var plan = Hashed(TestPlans.Create(
            TestPlans.Phase("drain", ["agent1", "agent2"], ["d"]),
            TestPlans.Phase("upgrade", ["agent1", "agent2"], ["a", "b", "c"])));
        var failed = await fleet.RunToEndAsync(plan);
        Assert.Equal(RunState.Failed, failed.Run.State);
        var runId = failed.Run.RunId;

        // A new coordinator process: the retry works from the store alone.
        await fleet.RestartCoordinatorAsync();
        var retried = await fleet.Executor.RetryAsync(runId, "alice", RetryAcceptance.None);
        Assert.Equal(2, retried.Run.Attempt);
        await fleet.Executor.WaitAsync(runId).WaitAsync(TimeSpan.FromSeconds(20));

        var result = fleet.Executor.Get(runId);
        Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
        Assert.All(result.Steps, s => Assert.True(s.State.IsSuccess(), $"{s.StepId}: {s.State} {s.Error}"));
        Assert.Equal(["drain/agent1/d", "upgrade/agent1/a", "upgrade/agent1/b", "upgrade/agent1/b#attempt2", "upgrade/agent1/c"], fleet["agent1"].Commands);
        Assert.Equal(["drain/agent2/d", "upgrade/agent2/a", "upgrade/agent2/b", "upgrade/agent2/c"], fleet["agent2"].Commands);
        Assert.All(fleet.Agents.Values.SelectMany(a => a.Executions), e => Assert.Equal(1, e.Value));
        var b = result.Steps.Single(s => s.StepId == "upgrade/agent1/b");
        Assert.Equal(2, b.Attempt);
        Assert.All(result.Steps.Where(s => s != b), s => Assert.Equal(1, s.Attempt));
        var audit = fleet.Audit.Query(runId, 1000);
        var entry = Assert.Single(audit, e => e.What == "run.retry");
        Assert.Equal("alice", entry.Who);
        Assert.Contains("attempt 2", entry.Detail);
        Assert.Contains("upgrade/agent1/b (attempt 2)", entry.Detail);
        Assert.Contains(audit, e => e.What == "step.succeeded" && e.Detail.StartsWith("upgrade/agent1/b (b) on agent1, attempt 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_NodeFailedWithinBudget_ItsFailedAndSkippedStepsRunAndTheOthersDoNot()
    {
        var nodes = TestPlans.Nodes("agent", 3);
        var agents = nodes.Select(n => new SimulatedAgent(n, "agent")).ToList();
        agents[1].Behavior = c => c.StepId == "drain/agent2/a" ? StepBehavior.Fail("disk full") : StepBehavior.Ok();
        await using var fleet = await SimulatedFleet.StartAsync(agents);
        var plan = Hashed(TestPlans.Create(
            TestPlans.Phase("drain", nodes, ["a", "b"], failureBudget: 1),
            TestPlans.Phase("upgrade", nodes, ["c"])));
        var first = await fleet.RunToEndAsync(plan);
        Assert.Equal(RunState.SucceededWithFailures, first.Run.State);
        Assert.Contains("within the failure budget: agent2", first.Run.Message);

        await fleet.Executor.RetryAsync(first.Run.RunId, "alice", RetryAcceptance.None);
        await fleet.Executor.WaitAsync(first.Run.RunId).WaitAsync(TimeSpan.FromSeconds(20));

        var result = fleet.Executor.Get(first.Run.RunId);
        Assert.True(result.Run.State == RunState.Succeeded && !result.Run.Message.Contains("failed nodes", StringComparison.Ordinal), result.Run.Message);
        Assert.Equal(["drain/agent2/a", "drain/agent2/a#attempt2", "drain/agent2/b", "upgrade/agent2/c"], fleet["agent2"].Commands);
        Assert.Equal(["drain/agent1/a", "drain/agent1/b", "upgrade/agent1/c"], fleet["agent1"].Commands);
        // Skipped only because the node failed: never sent, so still its first attempt.
        Assert.Equal(1, result.Steps.Single(s => s.StepId == "drain/agent2/b").Attempt);
    }

    [Fact]
    public async Task Retry_StepInterruptedStateUnknown_RefusedNamingItUntilTheOperatorAcceptsIt()
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = c => c.StepId == "agents/agent1/a" ? StepBehavior.Ok(2000) : StepBehavior.Ok() };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var started = await fleet.Executor.StartAsync(Hashed(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"]))), "tester");
        var runId = started.Run.RunId;
        await fleet.WaitForAsync(runId, s => s.Steps[0].State == StepState.Running);
        await agent.CrashAsync();
        await Task.Delay(100);
        await agent.ConnectAsync(fleet.Hub);
        await fleet.Executor.WaitAsync(runId).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("interrupted, state unknown", fleet.Executor.Get(runId).Steps[0].Error);

        var refused = await Assert.ThrowsAsync<RunStateException>(() => fleet.Executor.RetryAsync(runId, "alice", RetryAcceptance.None));
        Assert.Contains("agents/agent1/a on agent1 (attempt 1): interrupted, state unknown", refused.Message);
        Assert.Contains("--accept-unknown", refused.Message);
        var stranger = await Assert.ThrowsAsync<ArgumentException>(() => fleet.Executor.RetryAsync(runId, "alice", new(["agents/agent1/b"], false)));
        Assert.Contains("agents/agent1/b", stranger.Message);
        // Refusals change nothing: the run is still failed and nothing more was sent.
        Assert.Equal(RunState.Failed, fleet.Executor.Get(runId).Run.State);
        Assert.Equal(["agents/agent1/a"], agent.Commands);

        await fleet.Executor.RetryAsync(runId, "alice", new(["agents/agent1/a"], false));
        await fleet.Executor.WaitAsync(runId).WaitAsync(TimeSpan.FromSeconds(10));

        var result = fleet.Executor.Get(runId);
        Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
        Assert.Equal(["agents/agent1/a", "agents/agent1/a#attempt2", "agents/agent1/b"], agent.Commands);
        Assert.Contains(fleet.Audit.Query(runId, 1000), e => e.What == "run.retry" && e.Detail.Contains("unknown outcome accepted by alice: agents/agent1/a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_GateDidNotHold_GateIsJudgedAgainAndTheRunContinuesWithoutResendingAStep()
    {
        var server = new SimulatedAgent("server1", "first-server");
        server.Versions["k3s"] = "v1.29.4+k3s1";
        var agent = new SimulatedAgent("agent1", "agent");
        await using var fleet = await SimulatedFleet.StartAsync([server, agent]);
        var gate = new PlanGate([new GateCheck(GateCheckKind.VersionMatches, "k3s", @"v1\.30\.0\+k3s1")], TimeSpan.FromMilliseconds(500));
        var plan = Hashed(TestPlans.Create(
            TestPlans.Phase("first", ["server1"], ["restore"], gate: gate),
            TestPlans.Phase("agents", ["agent1"], ["start"])));
        var failed = await fleet.RunToEndAsync(plan);
        Assert.Contains("gate after phase first did not hold", failed.Run.Message);

        server.Versions["k3s"] = "v1.30.0+k3s1";
        // A real agent reports the new version with its next health report; without one the gate would judge the old.
        server.ReportHealth();
        var retried = await fleet.Executor.RetryAsync(failed.Run.RunId, "alice", RetryAcceptance.None);
        Assert.Contains("no step failed", retried.Run.Message);
        await fleet.Executor.WaitAsync(failed.Run.RunId).WaitAsync(TimeSpan.FromSeconds(20));

        var result = fleet.Executor.Get(failed.Run.RunId);
        Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
        Assert.Equal(["first/server1/restore"], server.Commands);
        Assert.Equal(["agents/agent1/start"], agent.Commands);
        Assert.All(result.Steps, s => Assert.Equal(1, s.Attempt));
    }

    [Fact]
    public async Task Retry_RunThatDidNotFail_RefusedNamingItsState()
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = c => c.StepId.EndsWith("/slow", StringComparison.Ordinal) ? StepBehavior.Ok(3000) : StepBehavior.Ok() };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var done = await fleet.RunToEndAsync(Hashed(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a"]))));
        var succeeded = await Assert.ThrowsAsync<RunStateException>(() => fleet.Executor.RetryAsync(done.Run.RunId, "alice", RetryAcceptance.None));
        Assert.Contains("is Succeeded with every step done", succeeded.Message);

        var running = await fleet.Executor.StartAsync(Hashed(TestPlans.Create(TestPlans.Phase("slow", ["agent1"], ["slow"]))), "tester");
        await fleet.WaitForAsync(running.Run.RunId, s => s.Steps[0].State == StepState.Running);
        var live = await Assert.ThrowsAsync<RunStateException>(() => fleet.Executor.RetryAsync(running.Run.RunId, "alice", RetryAcceptance.None));
        Assert.Contains("is Running; it has not ended", live.Message);

        await fleet.Executor.AbortAsync(running.Run.RunId, "alice", "test");
        var aborted = await Assert.ThrowsAsync<RunStateException>(() => fleet.Executor.RetryAsync(running.Run.RunId, "alice", RetryAcceptance.None));
        Assert.Contains("is Aborted", aborted.Message);
        Assert.DoesNotContain(fleet.Audit.Query(running.Run.RunId, 1000), e => e.What == "run.retry");
    }

    [Fact]
    public async Task Retry_StoredPlanNoLongerHashesToTheRun_Refused()
    {
        var agent = new SimulatedAgent("agent1", "agent") { Behavior = _ => StepBehavior.Fail("no") };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        // A hash that is not the plan's (a damaged or edited store row looks the same).
        var failed = await fleet.RunToEndAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a"])));
        Assert.Equal(RunState.Failed, failed.Run.State);

        var refused = await Assert.ThrowsAsync<RunStateException>(() => fleet.Executor.RetryAsync(failed.Run.RunId, "alice", RetryAcceptance.None));
        Assert.Contains("stored plan hashes to sha256:", refused.Message);
        Assert.Equal(["agents/agent1/a"], agent.Commands);
    }
}
