using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Operators;

public sealed class OperatorServiceRetryTests
{
    private static async Task<(SimulatedFleet Fleet, StandInPlanSource Plans, OperatorService Service, string RunId)> FailedRunAsync()
    {
        var agent = new SimulatedAgent("server1", "first-server")
        {
            Behavior = c => c.StepId == "first/server1/b" ? StepBehavior.Fail("missing /srv/marker") : StepBehavior.Ok(),
        };
        var fleet = await SimulatedFleet.StartAsync([agent]);
        var plans = new StandInPlanSource();
        var plan = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["a", "b"]));
        plans.Plans["test"] = plan with { Hash = PlanHasher.Compute(plan) };
        var service = new OperatorService(fleet.Registry, plans, fleet.Executor, fleet.Audit, fleet.Options);
        var status = await service.StartRunAsync(new V1.StartRunRequest { Runbook = "test", PlanHash = plans.Plans["test"].Hash }, "alice", default);
        await fleet.Executor.WaitAsync(status.RunId);
        Assert.Equal(V1.RunState.Failed, service.GetRun(new V1.GetRunRequest { RunId = status.RunId }, "bob").State);
        return (fleet, plans, service, status.RunId);
    }

    [Fact]
    public async Task Retry_FailedRun_RunsAgainShowingTheAttemptAndIsAuditedWithTheCaller()
    {
        var (fleet, _, service, runId) = await FailedRunAsync();
        await using var _ = fleet;

        var retried = await service.RetryAsync(new V1.RetryRequest { RunId = runId }, "bob", default);
        Assert.Equal(2u, retried.Attempt);
        await fleet.Executor.WaitAsync(runId);

        var status = service.GetRun(new V1.GetRunRequest { RunId = runId }, "bob");
        Assert.Equal(V1.RunState.Succeeded, status.State);
        Assert.Equal(2u, status.Attempt);
        Assert.Equal([1u, 2u], status.Steps.Select(s => s.Attempt));
        Assert.Contains(service.History(new V1.HistoryRequest { RunId = runId }, "bob").Entries, e => e is { Who: "bob", What: "run.retry" } && e.Detail.Contains("attempt 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_RunbookChangedSinceTheRun_FailedPreconditionNamingBothVersionsAndAudited()
    {
        var (fleet, plans, service, runId) = await FailedRunAsync();
        await using var _ = fleet;
        plans.Plans["test"] = plans.Plans["test"] with { RunbookVersion = "2" };

        var error = await Assert.ThrowsAsync<OperatorException>(() => service.RetryAsync(new V1.RetryRequest { RunId = runId }, "bob", default));

        Assert.Equal(OperatorErrorCode.FailedPrecondition, error.Code);
        Assert.Contains("runbook test 1, and the catalogue now has version 2", error.Message);
        Assert.Contains(service.History(new V1.HistoryRequest { RunId = runId }, "bob").Entries, e => e is { Who: "bob", What: "run.retry_refused" });
        Assert.Equal(["first/server1/a", "first/server1/b"], fleet["server1"].Commands);
    }

    [Fact]
    public async Task Retry_BadRequests_NotFoundInvalidArgumentOrFailedPrecondition()
    {
        var (fleet, _, service, runId) = await FailedRunAsync();
        await using var _ = fleet;

        var missing = await Assert.ThrowsAsync<OperatorException>(() => service.RetryAsync(new V1.RetryRequest { RunId = "nope" }, "bob", default));
        var stranger = new V1.RetryRequest { RunId = runId };
        stranger.AcceptUnknown.Add("first/server1/a");
        var notUnknown = await Assert.ThrowsAsync<OperatorException>(() => service.RetryAsync(stranger, "bob", default));
        await service.RetryAsync(new V1.RetryRequest { RunId = runId }, "bob", default);
        await fleet.Executor.WaitAsync(runId);
        var succeeded = await Assert.ThrowsAsync<OperatorException>(() => service.RetryAsync(new V1.RetryRequest { RunId = runId }, "bob", default));

        Assert.Equal(OperatorErrorCode.NotFound, missing.Code);
        Assert.Equal(OperatorErrorCode.InvalidArgument, notUnknown.Code);
        Assert.Contains("has none", notUnknown.Message);
        Assert.Equal(OperatorErrorCode.FailedPrecondition, succeeded.Code);
        Assert.Contains("is Succeeded", succeeded.Message);
    }
}
