using System.Text.Json;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>
/// Plans and runs scoped to one cluster through the real CLI, coordinator and agents of two clusters: planning without
/// --cluster is refused naming both, runs on different clusters go side by side, a second one on a busy cluster is
/// refused naming the run that holds it, and `runs` lists them by cluster and state.
/// </summary>
public sealed class ClusterScopeTests(ITestOutputHelper log)
{
    [Fact]
    public async Task PlanAndApply_TwoClusters_RefusedWithoutClusterSideBySideAcrossClustersOneAtATimeWithin()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var alphaAgent = AgentProcess.Start(log, coordinator.Address, "alpha-first", ["server", "first-server"], cluster: "alpha");
        using var betaAgent = AgentProcess.Start(log, coordinator.Address, "beta-first", ["server", "first-server"], cluster: "beta");
        string[] connection = ["--coordinator", coordinator.Address.ToString(), "--insecure"];
        string[] slow = ["--param", "sleep_ms=8000"];
        var alphaPlan = await CliPlans.UntilPreflightOkAsync(log, [.. connection, "plan", "noop", "--cluster", "alpha", .. slow], "alpha-first");
        var betaPlan = await CliPlans.UntilPreflightOkAsync(log, [.. connection, "plan", "noop", "--cluster", "beta", .. slow], "beta-first");

        var unscoped = await CliRun.RunAsync(log, [.. connection, "plan", "noop", .. slow]);
        var unknown = await CliRun.RunAsync(log, [.. connection, "plan", "noop", "--cluster", "gamma"]);

        Assert.Equal(2, unscoped.ExitCode);
        Assert.Contains("2 clusters (alpha, beta)", unscoped.Stderr, StringComparison.Ordinal);
        Assert.Contains("--cluster", unscoped.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No node is in cluster 'gamma' (known clusters: alpha, beta)", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("Cluster: alpha\n", alphaPlan.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("beta-first", alphaPlan.Stdout, StringComparison.Ordinal);
        Assert.Contains("apply noop --cluster alpha", alphaPlan.Stdout, StringComparison.Ordinal);

        var alpha = await CliRun.RunAsync(log, [.. connection, "apply", "noop", "--cluster", "alpha", .. slow, "--plan-hash", CliPlans.HashOf(alphaPlan.Stdout)]);
        var beta = await CliRun.RunAsync(log, [.. connection, "apply", "noop", "--cluster", "beta", .. slow, "--plan-hash", CliPlans.HashOf(betaPlan.Stdout)]);
        var again = await CliRun.RunAsync(log, [.. connection, "apply", "noop", "--cluster", "alpha", .. slow, "--plan-hash", CliPlans.HashOf(alphaPlan.Stdout)]);
        var running = await CliRun.RunAsync(log, [.. connection, "--json", "runs", "--state", "running"]);

        Assert.Equal(0, alpha.ExitCode);
        Assert.Equal(0, beta.ExitCode);
        var alphaRun = CliPlans.RunIdIn(alpha.Stdout);
        var betaRun = CliPlans.RunIdIn(beta.Stdout);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains($"Cluster 'alpha' already has run {alphaRun}", again.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Started run", again.Stdout, StringComparison.Ordinal);
        // Both runs were running at the same moment: side by side, one per cluster.
        Assert.Equal(
            new[] { (alphaRun, "alpha"), (betaRun, "beta") }.Order(),
            Runs(running.Stdout).Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("cluster").GetString()!)).Order());

        Assert.Equal(0, (await CliRun.RunAsync(log, [.. connection, "watch", alphaRun])).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync(log, [.. connection, "watch", betaRun])).ExitCode);
        var onAlpha = await CliRun.RunAsync(log, [.. connection, "--json", "runs", "--cluster", "alpha"]);
        var table = await CliRun.RunAsync(log, [.. connection, "runs"]);
        var badState = await CliRun.RunAsync(log, [.. connection, "runs", "--state", "done"]);

        var listed = Assert.Single(Runs(onAlpha.Stdout));
        Assert.Equal(alphaRun, listed.GetProperty("id").GetString());
        Assert.Equal("run", listed.GetProperty("kind").GetString());
        Assert.Equal("noop", listed.GetProperty("runbook").GetString());
        Assert.Equal("succeeded", listed.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("campaign_id").ValueKind);
        Assert.True(listed.GetProperty("finished_at").GetDateTimeOffset() >= listed.GetProperty("started_at").GetDateTimeOffset());
        Assert.EndsWith("Z", listed.GetProperty("started_at").GetString(), StringComparison.Ordinal);
        Assert.Matches($@"{betaRun}\s+run\s+beta\s+noop\s+succeeded", table.Stdout);
        Assert.Equal(2, badState.ExitCode);
        Assert.Contains("--state 'done' is not a run state (valid: pending, running,", badState.Stderr, StringComparison.Ordinal);
    }

    private static List<JsonElement> Runs(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.Clone())];
    }
}
