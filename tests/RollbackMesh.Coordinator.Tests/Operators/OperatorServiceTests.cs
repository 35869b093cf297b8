using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Operators;

public sealed class OperatorServiceTests
{
    private static async Task<(SimulatedFleet Fleet, StandInPlanSource Plans, OperatorService Service)> CreateAsync()
    {
        var fleet = await SimulatedFleet.StartAsync([new SimulatedAgent("server1", "first-server") { Behavior = _ => StepBehavior.Ok(200) }]);
        var plans = new StandInPlanSource();
        plans.Plans["noop"] = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["a", "b"]));
        return (fleet, plans, new OperatorService(fleet.Registry, plans, fleet.Executor, fleet.Audit, fleet.Options));
    }

    [Fact]
    public async Task StartRun_PlanChangedSinceReview_RefusesNamingBothHashes()
    {
        var (fleet, plans, service) = await CreateAsync();
        await using var _ = fleet;
        var reviewed = await service.PlanAsync(new V1.PlanRequest { Runbook = "noop" }, "alice", default);
        plans.Plans["noop"] = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["a", "b", "c"]));

        var error = await Assert.ThrowsAsync<OperatorException>(() =>
            service.StartRunAsync(new V1.StartRunRequest { Runbook = "noop", PlanHash = reviewed.Hash }, "alice", default));

        Assert.Equal(OperatorErrorCode.FailedPrecondition, error.Code);
        Assert.Contains(reviewed.Hash, error.Message);
        Assert.Contains(plans.Plans["noop"].Hash, error.Message);
        Assert.Empty(fleet["server1"].Commands);
    }

    [Fact]
    public async Task Commands_FromAnOperator_RunAndAreAuditedWithTheCaller()
    {
        var (fleet, _, service) = await CreateAsync();
        await using var __ = fleet;
        var plan = await service.PlanAsync(new V1.PlanRequest { Runbook = "noop" }, "alice", default);
        Assert.True(plan.PreflightOk);
        Assert.Equal(["first/server1/a", "first/server1/b"], plan.Phases[0].Waves[0].Nodes[0].Steps.Select(s => s.StepId));

        var status = await service.StartRunAsync(new V1.StartRunRequest { Runbook = "noop", PlanHash = plan.Hash }, "alice", default);
        await service.PauseAsync(new V1.RunControlRequest { RunId = status.RunId, Reason = "check" }, "bob");
        Assert.Equal(V1.RunState.Paused, service.GetRun(new V1.GetRunRequest { RunId = status.RunId }, "bob").State);
        await service.ResumeAsync(new V1.RunControlRequest { RunId = status.RunId, Reason = "ok" }, "bob");
        var events = new List<V1.RunEvent>();
        await foreach (var change in service.WatchRunAsync(new V1.GetRunRequest { RunId = status.RunId }, "bob", default))
        {
            events.Add(change);
        }

        Assert.Equal(V1.RunState.Succeeded, events[^1].Status.State);
        var history = service.History(new V1.HistoryRequest { RunId = status.RunId }, "bob").Entries;
        Assert.Contains(history, e => e is { Who: "alice", What: "run.start" });
        Assert.Contains(history, e => e is { Who: "bob", What: "run.pause" });
        Assert.Contains(history, e => e is { Who: "bob", What: "run.resume" });
        Assert.Contains(history, e => e is { Who: "server1", What: "step.succeeded" });
        Assert.Contains(service.History(new V1.HistoryRequest(), "bob").Entries, e => e is { Who: "alice", What: "plan" });
    }

    [Fact]
    public async Task Control_UnknownOrFinishedRun_NotFoundOrFailedPrecondition()
    {
        var (fleet, _, service) = await CreateAsync();
        await using var _ = fleet;

        var missing = Assert.Throws<OperatorException>(() => service.GetRun(new V1.GetRunRequest { RunId = "nope" }, "bob"));
        var empty = await Assert.ThrowsAsync<OperatorException>(() => service.AbortAsync(new V1.RunControlRequest(), "bob"));
        var plan = await service.PlanAsync(new V1.PlanRequest { Runbook = "noop" }, "alice", default);
        var status = await service.StartRunAsync(new V1.StartRunRequest { Runbook = "noop", PlanHash = plan.Hash }, "alice", default);
        await fleet.Executor.WaitAsync(status.RunId);
        var finished = await Assert.ThrowsAsync<OperatorException>(() => service.PauseAsync(new V1.RunControlRequest { RunId = status.RunId }, "bob"));

        Assert.Equal(OperatorErrorCode.NotFound, missing.Code);
        Assert.Equal(OperatorErrorCode.InvalidArgument, empty.Code);
        Assert.Equal(OperatorErrorCode.FailedPrecondition, finished.Code);
        Assert.Single(service.ListNodes(new V1.ListNodesRequest(), "bob").Nodes, n => n is { Name: "server1", Connected: true });
    }
}
