using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Operators;

/// <summary>Issue 17 item 2: a step any agent refuses in its dry run makes the plan not ok, and StartRun refuses it before anything runs.</summary>
public sealed class OperatorServicePreflightTests
{
    private const string Escape = "path /etc/shadow is outside the allowed roots (/srv/rbm)";

    private static async Task<(SimulatedFleet Fleet, OperatorService Service)> CreateAsync(SimulatedAgent agent)
    {
        var fleet = await SimulatedFleet.StartAsync([agent]);
        var plans = new StandInPlanSource();
        plans.Plans["two-phases"] = TestPlans.Create(
            TestPlans.Phase("first", ["server1"], ["write-config"]),
            TestPlans.Phase("second", ["server1"], ["edit-outside"]));
        return (fleet, new OperatorService(fleet.Registry, plans, fleet.Executor, fleet.Audit, fleet.Options));
    }

    [Fact]
    public async Task Plan_PhaseTwoStepRefusedByItsDryRun_NotOkNamingNodeStepAndReason()
    {
        var server = new SimulatedAgent("server1", "first-server") { DryRunRefusal = id => id == "second/server1/edit-outside" ? Escape : null };
        var (fleet, service) = await CreateAsync(server);
        await using var _ = fleet;

        var plan = await service.PlanAsync(new V1.PlanRequest { Runbook = "two-phases", WithDryRun = true }, "alice", default);

        Assert.False(plan.PreflightOk);
        Assert.Equal([$"server1: step edit-outside (phase second) not accepted by its dry run: REFUSED: {Escape}"], plan.Preflight);
    }

    [Fact]
    public async Task StartRun_PhaseTwoStepRefusedByItsDryRun_RefusedBeforeAnyRunOrStepAndAudited()
    {
        var server = new SimulatedAgent("server1", "first-server") { DryRunRefusal = id => id == "second/server1/edit-outside" ? Escape : null };
        var (fleet, service) = await CreateAsync(server);
        await using var _ = fleet;
        var plan = await service.PlanAsync(new V1.PlanRequest { Runbook = "two-phases", WithDryRun = true }, "alice", default);

        var error = await Assert.ThrowsAsync<OperatorException>(() =>
            service.StartRunAsync(new V1.StartRunRequest { Runbook = "two-phases", PlanHash = plan.Hash }, "alice", default));

        Assert.Equal(OperatorErrorCode.FailedPrecondition, error.Code);
        Assert.Contains("no run was started and nothing changed", error.Message);
        Assert.Contains($"server1: step edit-outside (phase second) not accepted by its dry run: REFUSED: {Escape}", error.Message);
        Assert.Empty(server.Commands);
        Assert.Empty(fleet.Store.ListRuns());
        Assert.Contains(fleet.Audit.Query("", 100), e => e.What == "run.start_refused" && e.Detail.Contains("edit-outside", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanAndStartRun_PhaseTwoDryRunCannotDescribeTheNodeYet_ShownButNotARefusal()
    {
        // The CentOS runbook's downgrade cannot find 2.6 packages until its earlier phase has switched the repositories.
        const string NotYet = "no 2.6 version of calico-common in the repositories";
        var server = new SimulatedAgent("server1", "first-server") { DryRunFailure = id => id == "second/server1/edit-outside" ? NotYet : null };
        var (fleet, service) = await CreateAsync(server);
        await using var _ = fleet;

        var plan = await service.PlanAsync(new V1.PlanRequest { Runbook = "two-phases", WithDryRun = true }, "alice", default);
        var run = await service.StartRunAsync(new V1.StartRunRequest { Runbook = "two-phases", PlanHash = plan.Hash }, "alice", default);
        await fleet.Executor.WaitAsync(run.RunId).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(plan.PreflightOk, string.Join("\n", plan.Preflight));
        var described = plan.Phases[1].Waves[0].Nodes[0].Steps[0].DryRun;
        Assert.Equal($"(dry run could not describe the change from the node's current state: {NotYet})", described);
        Assert.Equal(["first/server1/write-config", "second/server1/edit-outside"], server.Commands);
    }

    [Fact]
    public async Task StartRun_EveryStepAccepted_RunsBothPhases()
    {
        var server = new SimulatedAgent("server1", "first-server");
        var (fleet, service) = await CreateAsync(server);
        await using var _ = fleet;
        var plan = await service.PlanAsync(new V1.PlanRequest { Runbook = "two-phases", WithDryRun = true }, "alice", default);
        Assert.True(plan.PreflightOk);

        var run = await service.StartRunAsync(new V1.StartRunRequest { Runbook = "two-phases", PlanHash = plan.Hash }, "alice", default);
        await fleet.Executor.WaitAsync(run.RunId).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["first/server1/write-config", "second/server1/edit-outside"], server.Commands);
    }
}
