using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>plan → apply --watch → status → history through the real CLI, coordinator and agent (the no-op runbook).</summary>
public sealed class ApplyWatchTests(ITestOutputHelper log)
{
    [Fact]
    public async Task ApplyWatch_NoopRunbookOnRealAgent_SucceedsAndIsAudited()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var agent = AgentProcess.Start(log, coordinator.Address, "e2e-first", ["server", "first-server"]);
        string[] connection = ["--coordinator", coordinator.Address.ToString(), "--insecure"];
        var plan = await CliPlans.UntilPreflightOkAsync(log, [.. connection, "plan", "noop", "--param", "sleep_ms=300"]);
        var hash = CliPlans.HashOf(plan.Stdout);

        var apply = await CliRun.RunAsync(log, [.. connection, "apply", "noop", "--param", "sleep_ms=300", "--plan-hash", hash, "--watch"]);

        Assert.Equal(0, apply.ExitCode);
        Assert.Contains("[first-server] e2e-first: noop → succeeded", apply.Stdout, StringComparison.Ordinal);
        var runId = CliPlans.RunIdIn(apply.Stdout);
        var status = await CliRun.RunAsync(log, [.. connection, "--json", "status", runId]);
        Assert.Contains("\"state\": \"RUN_STATE_SUCCEEDED\"", status.Stdout, StringComparison.Ordinal);
        var pause = await CliRun.RunAsync(log, [.. connection, "pause", runId]);
        Assert.Equal(1, pause.ExitCode);
        var history = await CliRun.RunAsync(log, [.. connection, "history", runId]);
        Assert.Matches(@"insecure-operator\s+run\.start", history.Stdout);
    }


}
