using System.Text.Json;
using System.Text.RegularExpressions;
using RollbackMesh.FunctionalTests.Infrastructure;
using RollbackMesh.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>
/// SIGKILL of the real coordinator process while a campaign's second wave runs, restart on the same --data and
/// address: the campaign continues from its stored clusters and succeeds, a `campaign watch` started before the kill
/// reconnects and sees the end, and every step of every cluster's run was started exactly once on its agent (the
/// agents' logs), with one run per cluster.
/// </summary>
public sealed partial class CampaignCrashTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Campaign_CoordinatorSigkilledMidWaveAndRestarted_ContinuesAndNoStepRunsTwice()
    {
        var data = Directory.CreateTempSubdirectory("rollbackmesh-campaign-crash-").FullName;
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var coordinator = await StartCoordinatorAsync(address, data);
        string[] clusters = ["alpha", "beta", "gamma"];
        var agents = clusters.ToDictionary(c => c, c => AgentProcess.Start(log, address, c + "-first", ["server", "first-server"], cluster: c));
        try
        {
            string[] connection = ["--coordinator", address.ToString(), "--insecure"];
            string[] slow = ["--param", "sleep_ms=4000"];
            foreach (var cluster in clusters)
            {
                await CliPlans.UntilPreflightOkAsync(log, [.. connection, "plan", "noop", "--cluster", cluster, .. slow], cluster + "-first");
            }

            string[] options = ["--clusters", "alpha,beta,gamma", "--canary", "1", "--parallel", "2", "--failure-budget", "1", .. slow];
            var plan = await CliRun.RunAsync(log, [.. connection, "campaign", "plan", "noop", .. options]);
            var hash = CampaignHash().Match(plan.Stdout).Groups[1].Value;
            var apply = await CliRun.RunAsync(log, [.. connection, "campaign", "apply", "noop", .. options, "--plan-hash", hash]);
            Assert.True(apply.ExitCode == 0, apply.Stdout + apply.Stderr);
            var campaignId = CampaignId().Match(apply.Stdout).Value;
            // Follows the campaign across the kill: it must reconnect to the restarted coordinator and see the end.
            var following = CliRun.RunAsync(log, [.. connection, "campaign", "watch", campaignId]);

            // Kill once the second wave's runs have started (the canary has ended).
            var giveUp = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                var status = await CliRun.RunAsync(log, [.. connection, "--json", "campaign", "status", campaignId]);
                using var document = JsonDocument.Parse(status.Stdout);
                var states = document.RootElement.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("state").GetString()).ToList();
                if (states[0] == "RUN_STATE_SUCCEEDED" && states.Skip(1).All(s => s == "RUN_STATE_RUNNING"))
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < giveUp, "the campaign never reached its second wave: " + string.Join(", ", states));
                await Task.Delay(200);
            }

            coordinator.Dispose();   // SIGKILL
            log.WriteLine("--- coordinator output before the kill ---\n" + coordinator.Output);
            await Task.Delay(TimeSpan.FromSeconds(1));
            coordinator = await StartCoordinatorAsync(address, data);

            var watch = await following;
            Assert.True(watch.ExitCode == 0, watch.Stdout + watch.Stderr);
            Assert.Contains("reconnecting in", watch.Stderr, StringComparison.Ordinal);
            Assert.Contains($"reconnected to the coordinator; following campaign {campaignId} again", watch.Stderr, StringComparison.Ordinal);
            Assert.Contains("3 succeeded, 0 failed, 0 running, 0 pending of 3 cluster(s)", watch.Stdout, StringComparison.Ordinal);
            Assert.Contains($"Resumed 1 unfinished campaign(s): {campaignId}", coordinator.Output, StringComparison.Ordinal);
            var listed = await CliRun.RunAsync(log, [.. connection, "--json", "runs"]);
            using var runs = JsonDocument.Parse(listed.Stdout);
            var clusterRuns = runs.RootElement.GetProperty("runs").EnumerateArray().Where(r => r.GetProperty("kind").GetString() == "run").ToList();
            Assert.Equal(clusters, clusterRuns.Select(r => r.GetProperty("cluster").GetString()).Order());
            foreach (var run in clusterRuns)
            {
                var runId = run.GetProperty("id").GetString()!;
                var cluster = run.GetProperty("cluster").GetString()!;
                Assert.Equal("succeeded", run.GetProperty("state").GetString());
                var steps = await CliRun.RunAsync(log, [.. connection, "--json", "status", runId]);
                using var status = JsonDocument.Parse(steps.Stdout);
                var output = agents[cluster].Process.Output;
                foreach (var step in status.RootElement.GetProperty("steps").EnumerateArray())
                {
                    var stepId = step.GetProperty("stepId").GetString()!;
                    var starts = output.Split('\n').Count(l => l.Contains($"Step run {runId} step {stepId} (", StringComparison.Ordinal) && l.TrimEnd().EndsWith(") started", StringComparison.Ordinal));
                    Assert.True(starts == 1, $"{cluster}: step {stepId} of {runId} started {starts} times");
                }
            }
        }
        finally
        {
            foreach (var agent in agents.Values)
            {
                agent.Dispose();
            }

            coordinator.Dispose();
            log.WriteLine("--- coordinator output ---\n" + coordinator.Output);
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<TestProcess> StartCoordinatorAsync(Uri address, string data)
    {
        var process = TestProcess.Start("coordinator", BuiltExecutables.Coordinator,
            ["serve", "--insecure", "--listen", $"{address.Host}:{address.Port}", "--data", data]);
        await process.WaitForStdoutLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        return process;
    }

    [GeneratedRegex(@"^Campaign hash: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex CampaignHash();

    [GeneratedRegex(@"cmp-\d{8}-\d{6}-[0-9a-f]+")]
    private static partial Regex CampaignId();
}
