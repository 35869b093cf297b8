using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>
/// `serve --metrics-listen` with real processes only: the coordinator, an agent, the CLI running the no-op runbook,
/// scrapes over HTTP, and Debian's promtool judging the exposition.
/// </summary>
public sealed class MetricsProcessTests(ITestOutputHelper log)
{
    private const string Connected = "rollbackmesh_agents_connected{role=\"first-server\"}";
    private const string HealthReports = "rollbackmesh_health_reports_received_total";
    private const string Succeeded = "rollbackmesh_steps_finished_total{outcome=\"succeeded\"}";

    [Fact]
    public async Task Metrics_NoopRunOnRealAgent_PromtoolAcceptsAndCountersMove()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log, "--metrics-listen", "127.0.0.1:0");
        var metrics = coordinator.MetricsAddress!;
        Assert.NotEqual(coordinator.Address.Port, metrics.Port);
        var idle = await Scrape.GetAsync(metrics);
        await Scrape.AssertPromtoolAcceptsAsync(log, idle.Text);
        Assert.Equal(0, idle[HealthReports]);
        Assert.Equal(0, idle["rollbackmesh_runs{state=\"succeeded\"}"]);

        using var agent = AgentProcess.Start(log, coordinator.Address, "e2e-metrics-1", ["server", "first-server"]);
        var connected = await Scrape.WaitForAsync(
            metrics, s => s.Series.GetValueOrDefault(Connected) == 1 && s[HealthReports] >= 2, "the agent connected and reporting");
        Assert.Equal(1, connected["rollbackmesh_agents_connected{role=\"server\"}"]);
        Assert.Equal(0, connected["rollbackmesh_agents_stale{role=\"server\"}"]);
        Assert.Equal(0, connected[Succeeded]);

        string[] connection = ["--coordinator", coordinator.Address.ToString(), "--insecure"];
        var plan = await CliRun.RunAsync(log, [.. connection, "plan", "noop", "--param", "sleep_ms=300"]);
        Assert.Contains("Preflight: ok", plan.Stdout, StringComparison.Ordinal);
        var hash = CliPlans.HashOf(plan.Stdout);
        var apply = await CliRun.RunAsync(log, [.. connection, "apply", "noop", "--param", "sleep_ms=300", "--plan-hash", hash, "--watch"]);
        Assert.Equal(0, apply.ExitCode);

        var after = await Scrape.GetAsync(metrics);
        await Scrape.AssertPromtoolAcceptsAsync(log, after.Text);
        Assert.Equal(1, after["rollbackmesh_runs{state=\"succeeded\"}"]);
        Assert.Equal(0, after["rollbackmesh_runs{state=\"running\"}"]);
        // The no-op step (and any preflight step the plan sent) succeeded; each was dispatched and reported running.
        var steps = after[Succeeded];
        Assert.True(steps >= 1, after.Text);
        Assert.Equal(0, after["rollbackmesh_steps_finished_total{outcome=\"failed\"}"]);
        Assert.Equal(steps, after["rollbackmesh_step_duration_seconds_count{outcome=\"succeeded\"}"]);
        Assert.Equal(steps, after["rollbackmesh_step_dispatch_latency_seconds_count"]);
        // The no-op sleeps 300 ms on the agent, so its step took at least that from dispatch to its result.
        Assert.True(after["rollbackmesh_step_duration_seconds_sum{outcome=\"succeeded\"}"] >= 0.3, after.Text);
        Assert.Equal(0, after["rollbackmesh_step_duration_seconds_bucket{outcome=\"succeeded\",le=\"0.1\"}"]);
        Assert.True(after[HealthReports] > connected[HealthReports], after.Text);
    }

}
