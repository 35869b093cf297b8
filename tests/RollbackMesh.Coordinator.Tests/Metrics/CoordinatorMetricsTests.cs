using System.Collections.Immutable;
using Grpc.Core;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Metrics;
using RollbackMesh.Coordinator.Storage;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using RollbackMesh.Coordinator.Tests.Fleet;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Metrics;

public sealed class CoordinatorMetricsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rollbackmesh-metrics-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private CoordinatorStore _store = null!;

    public Task InitializeAsync()
    {
        _store = CoordinatorStore.Open(Path.Combine(_directory, "c.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static NodeIdentity Node(string name, params string[] roles) => new(name, [.. roles],
        ImmutableSortedDictionary<string, string>.Empty, "0.1.0", ["no_op"], ImmutableSortedDictionary<string, string>.Empty);

    private NodeHealth Health() => new(_time.GetUtcNow(), _time.GetUtcNow(), true, [], [], ImmutableSortedDictionary<string, string>.Empty, [], "Sqlite");

    [Fact]
    public async Task Scrape_NodesOfSeveralRoles_CountsKnownConnectedAndStaleUnderEachRole()
    {
        var fleet = new FleetRegistry(new FleetOptions(), _time);
        var metrics = new CoordinatorMetrics(fleet, _store);
        await fleet.OnHelloAsync(Node("s1", "server", "first-server"));
        await fleet.OnHelloAsync(Node("s2", "server"));
        await fleet.OnHelloAsync(Node("a1", "agent"));
        await fleet.OnHelloAsync(Node("bare"));
        await fleet.OnDisconnectedAsync("a1");
        _time.Advance(TimeSpan.FromSeconds(25));
        fleet.OnHealth("s1", Health());
        _time.Advance(TimeSpan.FromSeconds(10)); // s2 (and bare) last seen 35 s ago: over three 10 s intervals

        var scrape = await Exposition.ScrapeAsync(metrics.Registry);

        Assert.Equal(2, scrape["rollbackmesh_agents_known{role=\"server\"}"]);
        Assert.Equal(2, scrape["rollbackmesh_agents_connected{role=\"server\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_agents_stale{role=\"server\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_agents_connected{role=\"first-server\"}"]);
        Assert.Equal(0, scrape["rollbackmesh_agents_stale{role=\"first-server\"}"]);
        // Disconnected: known, neither connected nor (as `nodes` shows it) stale.
        Assert.Equal(1, scrape["rollbackmesh_agents_known{role=\"agent\"}"]);
        Assert.Equal(0, scrape["rollbackmesh_agents_connected{role=\"agent\"}"]);
        Assert.Equal(0, scrape["rollbackmesh_agents_stale{role=\"agent\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_agents_stale{role=\"\"}"]);
    }

    [Fact]
    public async Task Scrape_NodesOfTwoClusters_CountsEachClusterOnceAndRolesFleetWide()
    {
        var fleet = new FleetRegistry(new FleetOptions(), _time);
        var metrics = new CoordinatorMetrics(fleet, _store);
        await fleet.OnHelloAsync(Node("e1-s", "server", "first-server") with { Cluster = "edge-1" });
        await fleet.OnHelloAsync(Node("e1-a", "agent") with { Cluster = "edge-1" });
        await fleet.OnHelloAsync(Node("e2-s", "server", "first-server") with { Cluster = "edge-2" });
        await fleet.OnDisconnectedAsync("e1-a");
        _time.Advance(TimeSpan.FromSeconds(25));
        fleet.OnHealth("e1-s", Health());
        _time.Advance(TimeSpan.FromSeconds(10)); // e2-s last seen 35 s ago: stale

        var scrape = await Exposition.ScrapeAsync(metrics.Registry);

        // A node of two roles counts once under its cluster.
        Assert.Equal(2, scrape["rollbackmesh_cluster_agents_known{cluster=\"edge-1\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_cluster_agents_connected{cluster=\"edge-1\"}"]);
        Assert.Equal(0, scrape["rollbackmesh_cluster_agents_stale{cluster=\"edge-1\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_cluster_agents_connected{cluster=\"edge-2\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_cluster_agents_stale{cluster=\"edge-2\"}"]);
        Assert.Equal(2, scrape["rollbackmesh_agents_known{role=\"first-server\"}"]);
        Assert.DoesNotContain(scrape.Series.Keys, k => k.StartsWith("rollbackmesh_agents_known{", StringComparison.Ordinal) && k.Contains("cluster", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scrape_ClusterLosesItsLastNode_ItsSeriesDisappear()
    {
        var fleet = new FleetRegistry(new FleetOptions(), _time);
        var metrics = new CoordinatorMetrics(fleet, _store);
        await fleet.OnHelloAsync(Node("n1", "server") with { Cluster = "old" });
        Assert.Equal(1, (await Exposition.ScrapeAsync(metrics.Registry))["rollbackmesh_cluster_agents_known{cluster=\"old\"}"]);

        fleet.SetRemoved(new HashSet<string> { "n1" });
        await fleet.OnHelloAsync(Node("n1", "server") with { Cluster = "new" }); // re-enrolled into another cluster

        var scrape = await Exposition.ScrapeAsync(metrics.Registry);
        Assert.Equal(1, scrape["rollbackmesh_cluster_agents_known{cluster=\"new\"}"]);
        Assert.DoesNotContain(scrape.Series.Keys, k => k.Contains("cluster=\"old\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scrape_NoNodeHasARoleAnyMore_ItsSeriesDisappear()
    {
        var fleet = new FleetRegistry(new FleetOptions(), _time);
        var metrics = new CoordinatorMetrics(fleet, _store);
        await fleet.OnHelloAsync(Node("n1", "control"));
        Assert.Equal(1, (await Exposition.ScrapeAsync(metrics.Registry))["rollbackmesh_agents_known{role=\"control\"}"]);

        await fleet.OnHelloAsync(Node("n1", "compute")); // the agent came back with another role

        var scrape = await Exposition.ScrapeAsync(metrics.Registry);
        Assert.Equal(1, scrape["rollbackmesh_agents_known{role=\"compute\"}"]);
        Assert.DoesNotContain(scrape.Series.Keys, k => k.Contains("role=\"control\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scrape_RunsInTheStore_EveryStateExportedWithItsCount()
    {
        var metrics = new CoordinatorMetrics(new FleetRegistry(new FleetOptions(), _time), _store);
        var plan = TestPlans.Create(TestPlans.Phase("p", ["n1"], ["s"]));
        var now = _time.GetUtcNow();
        foreach (var (id, state) in new[] { ("r1", RunState.Succeeded), ("r2", RunState.Succeeded), ("r3", RunState.AwaitingApproval) })
        {
            var run = new RunRecord(id, "test", plan.Hash, state, "p", "", "alice", now, null, "", true);
            await _store.InsertRunAsync(run, plan, [], new AuditEntry(now, "alice", "run.start", id, ""));
        }

        var scrape = await Exposition.ScrapeAsync(metrics.Registry);

        Assert.Equal(2, scrape["rollbackmesh_runs{state=\"succeeded\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_runs{state=\"awaiting_approval\"}"]);
        Assert.Equal(0, scrape["rollbackmesh_runs{state=\"running\"}"]);
        Assert.Equal(Enum.GetValues<RunState>().Length, scrape.Series.Keys.Count(k => k.StartsWith("rollbackmesh_runs{", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EnrollmentRefused_CountedByStatusInSnakeCase()
    {
        var metrics = new CoordinatorMetrics(new FleetRegistry(new FleetOptions(), _time), _store);

        metrics.EnrollmentRefused(StatusCode.Unauthenticated);
        metrics.EnrollmentRefused(StatusCode.Unauthenticated);
        metrics.EnrollmentRefused(StatusCode.ResourceExhausted);

        var scrape = await Exposition.ScrapeAsync(metrics.Registry);
        Assert.Equal(2, scrape["rollbackmesh_enrollments_refused_total{reason=\"unauthenticated\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_enrollments_refused_total{reason=\"resource_exhausted\"}"]);
    }

    [Fact]
    public void LabelValue_EnumNames_SnakeCase()
    {
        Assert.Equal("timed_out", CoordinatorMetrics.LabelValue(StepState.TimedOut));
        Assert.Equal("succeeded", CoordinatorMetrics.LabelValue(StepState.Succeeded));
        Assert.Equal("ok", CoordinatorMetrics.LabelValue(StatusCode.OK));
        Assert.Equal("awaiting_approval", CoordinatorMetrics.LabelValue(RunState.AwaitingApproval));
    }

    /// <summary>The executor and hub as the coordinator wires them: a real run moves the counters.</summary>
    [Fact]
    public async Task Run_ThreeStepsOneFailing_CountersHistogramsAndGaugesMove()
    {
        var nodes = TestPlans.Nodes("agent", 3);
        var agents = nodes.Select(n => new SimulatedAgent(n, "agent")
        {
            Behavior = _ => n == "agent3" ? StepBehavior.Fail("disk full", 20) : StepBehavior.Ok(20),
        }).ToList();
        await using var fleet = await SimulatedFleet.StartAsync(agents);

        var result = await fleet.RunToEndAsync(TestPlans.Create(TestPlans.Phase("agents", nodes, ["a"], concurrency: 3, failureBudget: 1)));

        var scrape = await Exposition.ScrapeAsync(fleet.Metrics.Registry);
        Assert.Equal(RunState.SucceededWithFailures, result.Run.State);
        Assert.Equal(2, scrape["rollbackmesh_steps_finished_total{outcome=\"succeeded\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_steps_finished_total{outcome=\"failed\"}"]);
        Assert.Equal(2, scrape["rollbackmesh_step_duration_seconds_count{outcome=\"succeeded\"}"]);
        Assert.InRange(scrape["rollbackmesh_step_duration_seconds_sum{outcome=\"succeeded\"}"], 0.04, 30);
        Assert.Equal(3, scrape["rollbackmesh_step_dispatch_latency_seconds_count"]);
        Assert.Equal(1, scrape["rollbackmesh_runs{state=\"succeeded_with_failures\"}"]);
        Assert.Equal(3, scrape["rollbackmesh_agents_connected{role=\"agent\"}"]);
        Assert.True(scrape["rollbackmesh_health_reports_received_total"] >= 3, scrape.Text);
    }
}
