using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Operators;

/// <summary>Plans and runs scoped to one cluster through the real catalogue and planner, over simulated agents.</summary>
public sealed class OperatorServiceClusterTests
{
    private static async Task<(SimulatedFleet Fleet, OperatorService Service)> CreateAsync(params SimulatedAgent[] agents)
    {
        var fleet = await SimulatedFleet.StartAsync(agents);
        var plans = new CatalogPlanSource(RunbookCatalog.Load(), new RunbookPlanner(), fleet.Registry);
        return (fleet, new OperatorService(fleet.Registry, plans, fleet.Executor, fleet.Audit, fleet.Options));
    }

    /// <summary>Two clusters of a first server and an agent each; steps take <paramref name="stepMs"/>.</summary>
    private static SimulatedAgent[] TwoClusters(int stepMs = 0) =>
    [
        new("a-first", "server", "first-server") { Cluster = "alpha", Behavior = _ => StepBehavior.Ok(stepMs) },
        new("a-agent", "agent") { Cluster = "alpha", Behavior = _ => StepBehavior.Ok(stepMs) },
        new("b-first", "server", "first-server") { Cluster = "beta", Behavior = _ => StepBehavior.Ok(stepMs) },
        new("b-agent", "agent") { Cluster = "beta", Behavior = _ => StepBehavior.Ok(stepMs) },
    ];

    private static V1.PlanRequest Plan(string cluster = "") => new() { Runbook = "noop", Cluster = cluster };

    private static IEnumerable<string> Nodes(V1.PlanResponse plan) =>
        plan.Phases.SelectMany(p => p.Waves).SelectMany(w => w.Nodes).Select(n => n.Node);

    [Fact]
    public async Task Plan_SeveralClustersAndNoneNamed_RefusedAsBadInputNamingThemAndAudited()
    {
        var (fleet, service) = await CreateAsync(TwoClusters());
        await using var _ = fleet;

        var refusal = await Assert.ThrowsAsync<OperatorException>(() => service.PlanAsync(Plan(), "alice", default));

        Assert.Equal(OperatorErrorCode.InvalidArgument, refusal.Code);
        Assert.Contains("2 clusters (alpha, beta)", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("--cluster", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(fleet.Audit.Query("", 10), e => e is { Who: "alice", What: "plan_refused" } && e.Detail.Contains("alpha, beta", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_UnknownCluster_NotFoundNamingItAndTheKnownClusters()
    {
        var (fleet, service) = await CreateAsync(TwoClusters());
        await using var _ = fleet;

        var refusal = await Assert.ThrowsAsync<OperatorException>(() => service.PlanAsync(Plan("gamma"), "alice", default));

        Assert.Equal(OperatorErrorCode.NotFound, refusal.Code);
        Assert.Equal("No node is in cluster 'gamma' (known clusters: alpha, beta).", refusal.Message);
    }

    [Fact]
    public async Task Plan_ClusterNamed_CoversOnlyItsNodesWithItsFirstServerFirst()
    {
        var (fleet, service) = await CreateAsync(TwoClusters());
        await using var _ = fleet;

        var plan = await service.PlanAsync(Plan("beta"), "alice", default);

        Assert.Equal("beta", plan.Cluster);
        Assert.False(plan.ClusterInferred);
        Assert.Equal(["b-first", "b-agent"], Nodes(plan));
        Assert.Equal("b-first", plan.Phases[0].Waves[0].Nodes[0].Node);
    }

    [Fact]
    public async Task Plan_FleetOfOneCluster_ClusterInferredAndSaid()
    {
        var (fleet, service) = await CreateAsync([.. TwoClusters().Where(a => a.Cluster == "alpha")]);
        await using var _ = fleet;

        var plan = await service.PlanAsync(Plan(), "alice", default);

        Assert.Equal("alpha", plan.Cluster);
        Assert.True(plan.ClusterInferred);
        Assert.Equal(["a-first", "a-agent"], Nodes(plan));
        Assert.Equal(plan.Hash, (await service.PlanAsync(Plan("alpha"), "alice", default)).Hash);
    }

    [Fact]
    public async Task StartRun_SecondOnTheSameCluster_RefusedNamingTheActiveRunWhileAnotherClusterRunsBesideIt()
    {
        var (fleet, service) = await CreateAsync(TwoClusters(stepMs: 1500));
        await using var _ = fleet;
        var alphaPlan = await service.PlanAsync(Plan("alpha"), "alice", default);
        var betaPlan = await service.PlanAsync(Plan("beta"), "alice", default);
        Assert.True(alphaPlan.PreflightOk, string.Join("\n", alphaPlan.Preflight));

        var alpha = await service.StartRunAsync(new V1.StartRunRequest { Runbook = "noop", Cluster = "alpha", PlanHash = alphaPlan.Hash }, "alice", default);
        var again = await Assert.ThrowsAsync<OperatorException>(() =>
            service.StartRunAsync(new V1.StartRunRequest { Runbook = "noop", Cluster = "alpha", PlanHash = alphaPlan.Hash }, "bob", default));
        var beta = await service.StartRunAsync(new V1.StartRunRequest { Runbook = "noop", Cluster = "beta", PlanHash = betaPlan.Hash }, "carol", default);
        var busyPlan = await service.PlanAsync(Plan("alpha"), "dave", default);

        Assert.Equal(OperatorErrorCode.FailedPrecondition, again.Code);
        Assert.Contains($"Cluster 'alpha' already has run {alpha.RunId}", again.Message, StringComparison.Ordinal);
        Assert.Contains(fleet.Audit.Query("", 100), e => e is { Who: "bob", What: "run.start_refused" } && e.Detail.Contains(alpha.RunId, StringComparison.Ordinal));
        Assert.Equal("alpha", alpha.Cluster);
        Assert.Equal("beta", beta.Cluster);
        Assert.False(busyPlan.PreflightOk);
        Assert.Contains(busyPlan.Preflight, l => l.Contains(alpha.RunId, StringComparison.Ordinal));
        var running = service.ListRuns(new V1.ListRunsRequest { State = V1.RunState.Running }, "eve").Runs;
        Assert.Equal(new[] { alpha.RunId, beta.RunId }.Order(StringComparer.Ordinal), running.Select(r => r.Id).Order(StringComparer.Ordinal));

        await fleet.Executor.WaitAsync(alpha.RunId).WaitAsync(TimeSpan.FromSeconds(30));
        await fleet.Executor.WaitAsync(beta.RunId).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(V1.RunState.Succeeded, service.GetRun(new V1.GetRunRequest { RunId = alpha.RunId }, "eve").State);
        Assert.Equal(V1.RunState.Succeeded, service.GetRun(new V1.GetRunRequest { RunId = beta.RunId }, "eve").State);
    }

    [Fact]
    public async Task ListRuns_ClusterAndStateFilters_OnlyMatchingRunsWithKindRunAndNoCampaign()
    {
        var (fleet, service) = await CreateAsync(TwoClusters());
        await using var _ = fleet;
        var alphaPlan = await service.PlanAsync(Plan("alpha"), "alice", default);
        var betaPlan = await service.PlanAsync(Plan("beta"), "alice", default);
        var alpha = await service.StartRunAsync(new V1.StartRunRequest { Runbook = "noop", Cluster = "alpha", PlanHash = alphaPlan.Hash }, "alice", default);
        await fleet.Executor.WaitAsync(alpha.RunId).WaitAsync(TimeSpan.FromSeconds(30));
        var beta = await service.StartRunAsync(new V1.StartRunRequest { Runbook = "noop", Cluster = "beta", PlanHash = betaPlan.Hash }, "alice", default);
        await service.AbortAsync(new V1.RunControlRequest { RunId = beta.RunId, Reason = "test" }, "alice");
        await fleet.Executor.WaitAsync(beta.RunId).WaitAsync(TimeSpan.FromSeconds(30));

        var all = service.ListRuns(new V1.ListRunsRequest(), "bob").Runs;
        var onAlpha = service.ListRuns(new V1.ListRunsRequest { Cluster = "alpha" }, "bob").Runs;
        var aborted = service.ListRuns(new V1.ListRunsRequest { State = V1.RunState.Aborted }, "bob").Runs;
        var none = service.ListRuns(new V1.ListRunsRequest { Cluster = "alpha", State = V1.RunState.Aborted }, "bob").Runs;

        Assert.Equal(2, all.Count);
        Assert.All(all, r => Assert.Equal("run", r.Kind));
        Assert.All(all, r => Assert.False(r.HasCampaignId));
        var listed = Assert.Single(onAlpha);
        Assert.Equal((alpha.RunId, "noop", "alpha", V1.RunState.Succeeded), (listed.Id, listed.Runbook, listed.Cluster, listed.State));
        Assert.NotNull(listed.FinishedAt);
        Assert.Equal(beta.RunId, Assert.Single(aborted).Id);
        Assert.Empty(none);
    }

    [Fact]
    public async Task ListRuns_StateNotARunState_InvalidArgument()
    {
        var (fleet, service) = await CreateAsync(TwoClusters());
        await using var _ = fleet;

        var refusal = Assert.Throws<OperatorException>(() => service.ListRuns(new V1.ListRunsRequest { State = (V1.RunState)99 }, "bob"));

        Assert.Equal(OperatorErrorCode.InvalidArgument, refusal.Code);
    }
}
