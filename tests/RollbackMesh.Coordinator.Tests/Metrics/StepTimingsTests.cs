using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Metrics;
using RollbackMesh.Coordinator.Storage;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Metrics;

public sealed class StepTimingsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("rollbackmesh-metrics-").FullName;
    private CoordinatorStore _store = null!;
    private CoordinatorMetrics _metrics = null!;

    public Task InitializeAsync()
    {
        _store = CoordinatorStore.Open(Path.Combine(_directory, "c.db"));
        _metrics = new CoordinatorMetrics(new FleetRegistry(new FleetOptions(), TimeProvider.System), _store);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static StepRecord Step(StepState state, TimeSpan at, int dispatches = 0) =>
        new("r1", "p/n1/s", 0, "n1", "p", "s", state, "", "", T0 + at, false, dispatches);

    [Fact]
    public async Task Step_DispatchedResentThenSucceeded_LatencyFromTheLatestDispatchDurationFromTheFirst()
    {
        var timings = new StepTimings(_metrics);
        var pending = Step(StepState.Pending, TimeSpan.Zero);
        var dispatched = Step(StepState.Dispatched, TimeSpan.FromSeconds(1), 1);
        var resent = dispatched with { DispatchCount = 2, UpdatedAt = T0 + TimeSpan.FromSeconds(3) }; // after a reconnect
        var running = resent with { State = StepState.Running, UpdatedAt = T0 + TimeSpan.FromSeconds(3.25) };
        var succeeded = running with { State = StepState.Succeeded, UpdatedAt = T0 + TimeSpan.FromSeconds(11) };

        timings.OnStepChanged(pending, dispatched);
        timings.OnStepChanged(dispatched, resent);
        timings.OnStepChanged(resent, running);
        timings.OnStepChanged(running, succeeded);

        var scrape = await Exposition.ScrapeAsync(_metrics.Registry);
        Assert.Equal(1, scrape["rollbackmesh_steps_finished_total{outcome=\"succeeded\"}"]);
        Assert.Equal(0, scrape["rollbackmesh_steps_finished_total{outcome=\"failed\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_step_duration_seconds_count{outcome=\"succeeded\"}"]);
        Assert.Equal(10, scrape["rollbackmesh_step_duration_seconds_sum{outcome=\"succeeded\"}"]);
        Assert.Equal(0, scrape["rollbackmesh_step_duration_seconds_bucket{outcome=\"succeeded\",le=\"5\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_step_duration_seconds_bucket{outcome=\"succeeded\",le=\"10\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_step_dispatch_latency_seconds_count"]);
        Assert.Equal(0.25, scrape["rollbackmesh_step_dispatch_latency_seconds_sum"]);
    }

    [Fact]
    public async Task Step_FailedBeforeDispatchOrInFlightFromAnEarlierProcess_CountedWithoutADuration()
    {
        var timings = new StepTimings(_metrics);
        // Node not connected: the step fails without being sent.
        timings.OnStepChanged(Step(StepState.Pending, TimeSpan.Zero), Step(StepState.Failed, TimeSpan.FromSeconds(5)));
        // A resumed run: the step was dispatched by the coordinator before its restart and times out now.
        timings.OnStepChanged(Step(StepState.Running, TimeSpan.Zero, 1), Step(StepState.TimedOut, TimeSpan.FromMinutes(5), 1));

        var scrape = await Exposition.ScrapeAsync(_metrics.Registry);
        Assert.Equal(1, scrape["rollbackmesh_steps_finished_total{outcome=\"failed\"}"]);
        Assert.Equal(1, scrape["rollbackmesh_steps_finished_total{outcome=\"timed_out\"}"]);
        Assert.DoesNotContain(scrape.Series.Keys, k => k.StartsWith("rollbackmesh_step_duration_seconds_count", StringComparison.Ordinal));
        Assert.Equal(0, scrape["rollbackmesh_step_dispatch_latency_seconds_count"]);
    }
}
