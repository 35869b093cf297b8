using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Operators;

/// <summary>Every operator command is audited with the caller's name, also when it is refused.</summary>
public sealed class OperatorServiceAuditTests
{
    [Fact]
    public async Task Commands_Refused_EachAuditedWithTheCallerAndReason()
    {
        await using var fleet = await SimulatedFleet.StartAsync([new SimulatedAgent("server1", "first-server")]);
        var plans = new StandInPlanSource();
        plans.Plans["noop"] = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["a"]));
        var service = new OperatorService(fleet.Registry, plans, fleet.Executor, fleet.Audit, fleet.Options);
        var control = new V1.RunControlRequest { RunId = "no-such-run", Reason = "test" };

        await Assert.ThrowsAsync<OperatorException>(() => service.PlanAsync(new V1.PlanRequest { Runbook = "missing" }, "alice", default));
        await Assert.ThrowsAsync<OperatorException>(() =>
            service.StartRunAsync(new V1.StartRunRequest { Runbook = "noop", PlanHash = "not-the-hash" }, "alice", default));
        await Assert.ThrowsAsync<OperatorException>(() => service.PauseAsync(control, "alice"));
        await Assert.ThrowsAsync<OperatorException>(() => service.ResumeAsync(control, "alice"));
        await Assert.ThrowsAsync<OperatorException>(() => service.AbortAsync(new V1.RunControlRequest(), "alice"));
        await Assert.ThrowsAsync<OperatorException>(() => service.ApproveAsync(new V1.ApproveRequest { RunId = "no-such-run", Gate = "g" }, "alice"));

        var history = service.History(new V1.HistoryRequest(), "bob").Entries;
        Assert.Equal(
            ["plan_refused", "run.start_refused", "run.pause_refused", "run.resume_refused", "run.abort_refused", "run.approve_refused"],
            history.Where(e => e.Who == "alice").Select(e => e.What));
        Assert.Contains("missing", history.Single(e => e.What == "plan_refused").Detail);
        Assert.Contains("not-the-hash", history.Single(e => e.What == "run.start_refused").Detail);
        Assert.Equal("no-such-run", history.Single(e => e.What == "run.pause_refused").RunId);
        Assert.Contains("run_id is required", history.Single(e => e.What == "run.abort_refused").Detail);
        Assert.Empty(fleet["server1"].Commands);
    }

    [Fact]
    public async Task Plan_Succeeds_AuditedOnceWithoutARefusal()
    {
        await using var fleet = await SimulatedFleet.StartAsync([new SimulatedAgent("server1", "first-server")]);
        var plans = new StandInPlanSource();
        plans.Plans["noop"] = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["a"]));
        var service = new OperatorService(fleet.Registry, plans, fleet.Executor, fleet.Audit, fleet.Options);

        await service.PlanAsync(new V1.PlanRequest { Runbook = "noop" }, "alice", default);

        Assert.Equal(["plan"], service.History(new V1.HistoryRequest(), "bob").Entries.Select(e => e.What));
    }
}
