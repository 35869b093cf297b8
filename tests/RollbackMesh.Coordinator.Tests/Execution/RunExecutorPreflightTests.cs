using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class RunExecutorPreflightTests
{
    [Fact]
    public async Task Preflight_SeveralProblems_FailsListingEveryOneAndDispatchesNoChangeStep()
    {
        var server = new SimulatedAgent("server1", "first-server")
        {
            Behavior = c => c.StepId == "preflight/server1/snapshot-trial-restore" ? StepBehavior.Fail("snapshot checksum mismatch") : StepBehavior.Ok(),
        };
        var lowDisk = new SimulatedAgent("agent1", "agent") { FreeBytes = 1024 };
        var sick = new SimulatedAgent("agent2", "agent") { Healthy = false };
        var gone = new SimulatedAgent("agent3", "agent");
        await using var fleet = await SimulatedFleet.StartAsync([server, lowDisk, sick, gone]);
        await gone.DisconnectAsync();
        var plan = TestPlans.Create(
            [TestPlans.Step("preflight", "server1", "snapshot-trial-restore"), TestPlans.Step("preflight", "agent1", "tools-present")],
            TestPlans.Phase("first", ["server1"], ["killall"]),
            TestPlans.Phase("agents", ["agent1", "agent2", "agent3"], ["killall"]));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Contains("preflight failed; nothing was changed", result.Run.Message);
        Assert.Contains("server1: preflight step snapshot-trial-restore FAILED: snapshot checksum mismatch", result.Run.Message);
        Assert.Contains("agent1: 1024 bytes free on /var/lib for the quarantine, below the minimum", result.Run.Message);
        Assert.Contains("agent2: unhealthy: k3s.service failed", result.Run.Message);
        Assert.Contains("agent3: not connected", result.Run.Message);
        Assert.Equal(["preflight/server1/snapshot-trial-restore"], server.Commands);
        Assert.Equal(["preflight/agent1/tools-present"], lowDisk.Commands);
        Assert.Empty(sick.Commands);
        Assert.All(result.Steps.Where(s => s.Phase != "preflight"), s => Assert.Equal(StepState.Pending, s.State));
    }

    [Fact]
    public async Task Preflight_AllPass_StepsRunThenChangesFollow()
    {
        var server = new SimulatedAgent("server1", "first-server");
        await using var fleet = await SimulatedFleet.StartAsync([server]);
        var plan = TestPlans.Create([TestPlans.Step("preflight", "server1", "snapshot-trial-restore")], TestPlans.Phase("first", ["server1"], ["killall"]));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Succeeded, result.Run.State);
        Assert.Equal(["preflight/server1/snapshot-trial-restore", "first/server1/killall"], server.Commands);
        Assert.True(result.Run.PreflightPassed);
    }
}
