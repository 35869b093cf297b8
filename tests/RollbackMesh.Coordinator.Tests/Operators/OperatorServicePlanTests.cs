using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Operators;

public sealed class OperatorServicePlanTests
{
    private static async Task<(SimulatedFleet Fleet, OperatorService Service)> CreateAsync(SimulatedAgent[] agents, string[] planNodes, ExecutorOptions? options = null)
    {
        var fleet = await SimulatedFleet.StartAsync(agents, options);
        var plans = new StandInPlanSource();
        plans.Plans["noop"] = TestPlans.Create(TestPlans.Phase("all", planNodes, ["stop", "start"]));
        return (fleet, new OperatorService(fleet.Registry, plans, fleet.Executor, fleet.Audit, fleet.Options));
    }

    private static IEnumerable<V1.PlannedStep> Steps(V1.PlanResponse plan, string node) =>
        plan.Phases.SelectMany(p => p.Waves).SelectMany(w => w.Nodes).Where(n => n.Node == node).SelectMany(n => n.Steps);

    [Fact]
    public async Task Plan_WithDryRun_ConnectedAgentsDescribeEveryStepUnderADistinctRunIdAndNothingRuns()
    {
        var server = new SimulatedAgent("server1", "first-server");
        var (fleet, service) = await CreateAsync([server], ["server1", "ghost"]);
        await using var _ = fleet;

        var plan = await service.PlanAsync(new V1.PlanRequest { Runbook = "noop", WithDryRun = true }, "alice", default);

        Assert.Equal(["would run all/server1/stop on server1", "would run all/server1/start on server1"], Steps(plan, "server1").Select(s => s.DryRun));
        Assert.All(Steps(plan, "ghost"), s => Assert.Equal("(agent not connected: no dry run)", s.DryRun));
        Assert.Equal(2, server.DryRuns.Count);
        Assert.All(server.DryRuns, d => Assert.StartsWith(DryRunDispatcher.RunIdPrefix, d, StringComparison.Ordinal));
        Assert.Single(server.DryRuns.Select(d => d.Split('/')[0]).Distinct());
        Assert.Empty(server.Commands);
        Assert.Empty(server.Executions);
        Assert.Empty(fleet.Store.ListRuns());
        Assert.False(plan.PreflightOk);
        Assert.Contains(plan.Preflight, l => l.StartsWith("ghost: unknown node", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_WithDryRunAgentNeverAnswers_StepsSayNoAnswerWithinTheTimeoutAndPreflightIsNotOk()
    {
        var server = new SimulatedAgent("server1", "first-server") { DryRunHangs = true };
        var options = new ExecutorOptions { DryRunTimeout = TimeSpan.FromMilliseconds(300) };
        var (fleet, service) = await CreateAsync([server], ["server1"], options);
        await using var _ = fleet;

        var plan = await service.PlanAsync(new V1.PlanRequest { Runbook = "noop", WithDryRun = true }, "alice", default).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.All(Steps(plan, "server1"), s => Assert.Equal($"(no dry run answer within {TimeSpan.FromMilliseconds(300)})", s.DryRun));
        Assert.False(plan.PreflightOk);
        Assert.Contains($"server1: step stop (phase all) not accepted by its dry run: no dry run answer within {TimeSpan.FromMilliseconds(300)}", plan.Preflight);
    }

    [Fact]
    public async Task Plan_WithoutDryRun_AgentsAreNotAskedAndPreflightStepsAreListed()
    {
        var server = new SimulatedAgent("server1", "first-server");
        var fleet = await SimulatedFleet.StartAsync([server]);
        await using var _ = fleet;
        var plans = new StandInPlanSource();
        plans.Plans["noop"] = TestPlans.Create([TestPlans.Step("preflight", "server1", "check-disk")], TestPlans.Phase("all", ["server1"], ["stop"]));
        var service = new OperatorService(fleet.Registry, plans, fleet.Executor, fleet.Audit, fleet.Options);

        var plan = await service.PlanAsync(new V1.PlanRequest { Runbook = "noop" }, "alice", default);

        Assert.Empty(server.DryRuns);
        Assert.All(Steps(plan, "server1"), s => Assert.Equal("", s.DryRun));
        Assert.True(plan.PreflightOk);
        Assert.Contains("server1: will check check-disk before anything changes", plan.Preflight);
        Assert.Empty(server.Commands);
    }
}
