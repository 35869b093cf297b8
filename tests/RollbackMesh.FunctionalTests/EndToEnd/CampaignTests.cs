using System.Text.Json;
using System.Text.RegularExpressions;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>
/// A noop campaign through the real CLI, coordinator and agent processes of three clusters, canary 1 and parallel 2:
/// the canary cluster runs alone first, then the other two side by side, each as an ordinary run carrying the campaign's
/// id; `runs` lists the campaign beside them and `history` holds its transitions.
/// </summary>
public sealed partial class CampaignTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Campaign_ThreeClustersCanaryOneParallelTwo_CanaryAloneThenTheOtherTwoTogether()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        string[] clusters = ["alpha", "beta", "gamma"];
        var agents = clusters.Select(c => AgentProcess.Start(log, coordinator.Address, c + "-first", ["server", "first-server"], cluster: c)).ToList();
        try
        {
            string[] connection = ["--coordinator", coordinator.Address.ToString(), "--insecure"];
            string[] slow = ["--param", "sleep_ms=1500"];
            foreach (var cluster in clusters)
            {
                await CliPlans.UntilPreflightOkAsync(log, [.. connection, "plan", "noop", "--cluster", cluster, .. slow], cluster + "-first");
            }

            string[] options = ["--clusters", "alpha,beta,gamma", "--canary", "1", "--parallel", "2", "--failure-budget", "1", .. slow];
            var badCanary = await CliRun.RunAsync(log, [.. connection, "campaign", "plan", "noop", "--clusters", "alpha,delta", "--canary", "3"]);
            var plan = await CliRun.RunAsync(log, [.. connection, "campaign", "plan", "noop", .. options]);

            Assert.Equal(2, badCanary.ExitCode);
            Assert.Contains("no node is in cluster 'delta' (known clusters: alpha, beta, gamma)", badCanary.Stderr, StringComparison.Ordinal);
            Assert.Contains("canary 3 is more than the campaign's 2 cluster(s)", badCanary.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, plan.ExitCode);
            Assert.Matches(@"canary\s+alpha\s+1\s+\d+\s+sha256:", plan.Stdout);
            Assert.Matches(@"1\s+gamma\s+1\s+\d+\s+sha256:", plan.Stdout);
            var hash = CampaignHash().Match(plan.Stdout).Groups[1].Value;
            Assert.StartsWith("sha256:", hash, StringComparison.Ordinal);

            string[] otherOptions = ["--clusters", "alpha,beta,gamma", "--canary", "1", "--parallel", "1", "--failure-budget", "1", .. slow];
            var stale = await CliRun.RunAsync(log, [.. connection, "campaign", "apply", "noop", .. otherOptions, "--plan-hash", hash]);
            var apply = await CliRun.RunAsync(log, [.. connection, "campaign", "apply", "noop", .. options, "--plan-hash", hash, "--watch"]);

            Assert.Equal(2, stale.ExitCode);
            Assert.Contains("The campaign changed since it was reviewed", stale.Stderr, StringComparison.Ordinal);
            Assert.True(apply.ExitCode == 0, apply.Stdout + apply.Stderr);
            var campaignId = CampaignId().Match(apply.Stdout).Value;
            Assert.Matches(@"canary\s+alpha succeeded run run-", apply.Stdout);
            Assert.Contains("3 succeeded, 0 failed, 0 running, 0 pending of 3 cluster(s)", apply.Stdout, StringComparison.Ordinal);

            var listed = await CliRun.RunAsync(log, [.. connection, "--json", "runs"]);
            var entries = Runs(listed.Stdout);
            var campaign = Assert.Single(entries, e => e.GetProperty("kind").GetString() == "campaign");
            Assert.Equal((campaignId, "succeeded"), (campaign.GetProperty("id").GetString(), campaign.GetProperty("state").GetString()));
            var runs = entries.Where(e => e.GetProperty("kind").GetString() == "run")
                .ToDictionary(e => e.GetProperty("cluster").GetString()!, e => e);
            Assert.Equal(clusters, runs.Keys.Order());
            Assert.All(runs.Values, r => Assert.Equal((campaignId, "succeeded"), (r.GetProperty("campaign_id").GetString(), r.GetProperty("state").GetString())));
            DateTimeOffset Start(string c) => runs[c].GetProperty("started_at").GetDateTimeOffset();
            DateTimeOffset End(string c) => runs[c].GetProperty("finished_at").GetDateTimeOffset();
            Assert.True(End("alpha") <= Start("beta") && End("alpha") <= Start("gamma"), "a cluster started before the canary ended");
            Assert.True(Start("beta") < End("gamma") && Start("gamma") < End("beta"), "beta and gamma did not run side by side");

            var history = await CliRun.RunAsync(log, [.. connection, "history", campaignId]);
            Assert.Equal(2, Regex.Count(history.Stdout, "campaign\\.wave"));
            Assert.Contains("campaign.start", history.Stdout, StringComparison.Ordinal);
            Assert.Contains("campaign.end", history.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            agents.ForEach(a => a.Dispose());
        }
    }

    private static List<JsonElement> Runs(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.Clone())];
    }

    [GeneratedRegex(@"^Campaign hash: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex CampaignHash();

    [GeneratedRegex(@"cmp-\d{8}-\d{6}-[0-9a-f]+")]
    private static partial Regex CampaignId();
}
