using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

/// <summary>A node may report only on steps dispatched to it; anything else is refused and audited under its name.</summary>
public sealed class RunExecutorForeignUpdateTests
{
    [Fact]
    public async Task OnStepUpdate_AnotherNodesStep_RefusedAndAudited()
    {
        var victim = new SimulatedAgent("server1", "first-server") { Behavior = _ => StepBehavior.Hangs() };
        var intruder = new SimulatedAgent("agent1", "agent");
        await using var fleet = await SimulatedFleet.StartAsync([victim, intruder]);
        var started = await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("first", ["server1"], ["a"])), "tester");
        var stepId = (await fleet.WaitForAsync(started.Run.RunId, s => s.Steps.Any(x => x.Node == "server1" && x.State == StepState.Running)))
            .Steps.Single(x => x.Node == "server1").StepId;

        fleet.Hub.OnStepUpdate("agent1", Succeeded(started.Run.RunId, stepId));
        var audited = await WaitForAuditAsync(fleet, started.Run.RunId);

        Assert.Equal(StepState.Running, fleet.Executor.Get(started.Run.RunId).Steps.Single(x => x.StepId == stepId).State);
        Assert.Equal("agent1", audited.Who);
        Assert.Contains(stepId, audited.Detail);
    }

    [Fact]
    public async Task OnStepUpdate_RunTheNodeHasNoPartIn_RefusedAndAudited()
    {
        await using var fleet = await SimulatedFleet.StartAsync([new SimulatedAgent("agent1", "agent")]);

        fleet.Hub.OnStepUpdate("agent1", Succeeded("run-that-does-not-exist", "first/server1/a"));
        var audited = await WaitForAuditAsync(fleet, "run-that-does-not-exist");

        Assert.Equal("agent1", audited.Who);
    }

    [Fact]
    public async Task OnStepUpdate_OwnStepAfterTheRunFinished_IgnoredWithoutAudit()
    {
        await using var fleet = await SimulatedFleet.StartAsync([new SimulatedAgent("server1", "first-server")]);
        var done = await fleet.RunToEndAsync(TestPlans.Create(TestPlans.Phase("first", ["server1"], ["a"])));
        await fleet.RestartCoordinatorAsync(); // the finished run is no longer driven: only the store knows it

        fleet.Hub.OnStepUpdate("server1", Succeeded(done.Run.RunId, done.Steps[^1].StepId));
        await Task.Delay(200);

        Assert.DoesNotContain(fleet.Audit.Query(done.Run.RunId, 100), e => e.What == ForeignStepUpdates.AuditWhat);
    }

    private static V1.StepUpdate Succeeded(string runId, string stepId) => new()
    {
        RunId = runId,
        StepId = stepId,
        State = V1.StepState.Succeeded,
        Result = new V1.StepResult { State = V1.StepState.Succeeded, Summary = "forged" },
    };

    private static async Task<Audit.AuditEntry> WaitForAuditAsync(SimulatedFleet fleet, string runId)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            if (fleet.Audit.Query(runId, 100).FirstOrDefault(e => e.What == ForeignStepUpdates.AuditWhat) is { } entry)
            {
                return entry;
            }

            Assert.True(DateTime.UtcNow < giveUp, "The foreign step update was never audited.");
            await Task.Delay(20);
        }
    }
}
