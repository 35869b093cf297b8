using System.Text.RegularExpressions;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>plan → apply --watch → status → history through the real CLI, coordinator and agent (the no-op runbook).</summary>
public sealed partial class ApplyWatchTests(ITestOutputHelper log)
{
    [Fact]
    public async Task ApplyWatch_NoopRunbookOnRealAgent_SucceedsAndIsAudited()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var agent = AgentProcess.Start(log, coordinator.Address, "e2e-first", ["server", "first-server"]);
        string[] connection = ["--coordinator", coordinator.Address.ToString(), "--insecure"];
        var plan = await WaitForPlanAsync(connection);
        var hash = HashLine().Match(plan.Stdout).Groups[1].Value;

        var apply = await CliRun.RunAsync(log, [.. connection, "apply", "noop", "--param", "sleep_ms=300", "--plan-hash", hash, "--watch"]);

        Assert.Equal(0, apply.ExitCode);
        Assert.Contains("[first-server] e2e-first: noop → succeeded", apply.Stdout, StringComparison.Ordinal);
        var runId = RunIdPattern().Match(apply.Stdout).Value;
        var status = await CliRun.RunAsync(log, [.. connection, "--json", "status", runId]);
        Assert.Contains("\"state\": \"RUN_STATE_SUCCEEDED\"", status.Stdout, StringComparison.Ordinal);
        var pause = await CliRun.RunAsync(log, [.. connection, "pause", runId]);
        Assert.Equal(1, pause.ExitCode);
        var history = await CliRun.RunAsync(log, [.. connection, "history", runId]);
        Assert.Matches(@"insecure-operator\s+run\.start", history.Stdout);
    }

    /// <summary>Plans until preflight is clean (the agent has connected and reported health), for up to 60 s.</summary>
    private async Task<CliRun> WaitForPlanAsync(string[] connection)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var plan = await CliRun.RunAsync(log, [.. connection, "plan", "noop", "--param", "sleep_ms=300"]);
            if (plan.ExitCode == 0 && plan.Stdout.Contains("Preflight: ok", StringComparison.Ordinal))
            {
                return plan;
            }

            Assert.True(DateTime.UtcNow < giveUp, "The plan never passed preflight:\n" + plan.Stdout + plan.Stderr);
            await Task.Delay(500);
        }
    }

    [GeneratedRegex(@"^Hash: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex HashLine();

    [GeneratedRegex(@"run-\d{8}-\d{6}-[0-9a-f]+")]
    private static partial Regex RunIdPattern();
}
