using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RollbackMesh.FunctionalTests.Infrastructure;
using RollbackMesh.Protos.Channels;
using RollbackMesh.V1;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace RollbackMesh.FunctionalTests.Cli.Ui;

public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task CampaignPage_ThreeClustersCanaryThenApproval_ShowsClustersLiveAndTheApprovalIsAudited()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        string[] clusters = ["edge-a", "edge-b", "edge-c"];
        var agents = clusters.Select(c => AgentProcess.Start(log, coordinator.Address, "ui-" + c, ["server", "first-server"], cluster: c)).ToList();
        try
        {
            var connection = Connection(coordinator);
            using var channel = RollbackMeshChannel.Create(coordinator.Address);
            var client = new Operator.OperatorClient(channel);
            var campaignId = await StartCampaignAsync(client, clusters);
            using var dashboard = await DashboardProcess.StartAsync(log, connection);
            await using var chromium = await DebianChromium.LaunchAsync();
            var errors = new List<string>();
            var page = await chromium.NewPageAsync(errors);
            var reasons = new Queue<string>(["canary edge-a looks good"]);
            page.Dialog += (_, dialog) => _ = dialog.Type == "prompt" ? dialog.AcceptAsync(reasons.Dequeue()) : dialog.AcceptAsync();

            // The Run page lists the campaign; its link opens the campaign's page.
            await page.GotoAsync(new Uri(dashboard.Address, "#/run").ToString());
            await Expect(page.Locator($"tr[data-run='{campaignId}']")).ToContainTextAsync("campaign");
            Assert.Empty(await page.EvaluateAsync<string[]>(AuditScript));
            await page.Locator($"tr[data-run='{campaignId}'] a").ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Campaign " + campaignId, Level = 1 })).ToBeVisibleAsync();
            // The canary (edge-a) runs alone and succeeds; then the campaign waits for the operator.
            await Expect(page.GetByTestId("campaign-state")).ToContainTextAsync("awaiting approval", new() { Timeout = Ms(Patience) });
            await Expect(page.Locator("tr[data-cluster='edge-a']")).ToContainTextAsync("succeeded");
            await Expect(page.Locator("tr[data-cluster='edge-a']")).ToContainTextAsync("canary");
            await Expect(page.Locator("tr[data-cluster='edge-b']")).ToContainTextAsync("not started");
            await Expect(page.GetByTestId("campaign-counts")).ToContainTextAsync("1 succeeded, 0 running, 2 pending, 0 failed (of 3)");
            await DebianChromium.ScreenshotAsync(page, "campaign-awaiting-approval");
            // The same keyboard and screen-reader audit as every other page (one h1, labels, names, states in words, captions).
            Assert.Empty(await page.EvaluateAsync<string[]>(AuditScript));

            await page.GetByRole(AriaRole.Button, new() { Name = "Approve after the canaries…" }).ClickAsync();

            await Expect(page.GetByTestId("campaign-state")).ToContainTextAsync("succeeded", new() { Timeout = Ms(Patience) });
            await Expect(page.GetByTestId("campaign-counts")).ToContainTextAsync("3 succeeded, 0 running, 0 pending, 0 failed (of 3)");
            foreach (var cluster in clusters)
            {
                await Expect(page.Locator($"tr[data-cluster='{cluster}'] a")).ToHaveTextAsync(new Regex("^run-"));
            }

            await DebianChromium.ScreenshotAsync(page, "campaign-succeeded");
            // A cluster's run link opens that run's page.
            await page.Locator("tr[data-cluster='edge-c'] a").ClickAsync();
            await Expect(page.GetByTestId("run-state")).ToContainTextAsync("succeeded", new() { Timeout = Ms(Patience) });
            var audit = await CliRun.RunAsync(log, [.. connection, "history", campaignId]);
            log.WriteLine(audit.Stdout);
            Assert.Matches(@"insecure-operator\s+campaign\.approve", audit.Stdout);
            Assert.Contains("canary edge-a looks good", audit.Stdout, StringComparison.Ordinal);
            Assert.Empty(reasons);
            Assert.Empty(errors);
        }
        finally
        {
            agents.ForEach(a => a.Dispose());
        }
    }

    /// <summary>Plans a noop campaign (canary 1, parallel 2) until every cluster has its node, then starts it.</summary>
    private static async Task<string> StartCampaignAsync(Operator.OperatorClient client, string[] clusters)
    {
        var options = new CampaignOptions { Canary = 1, Parallel = 2, FailureBudget = 1, Clusters = { clusters } };
        var request = new PlanCampaignRequest { Runbook = "noop", Options = options, Parameters = { ["sleep_ms"] = "1000" } };
        var deadline = DateTime.UtcNow + Patience;
        CampaignPlanResponse? plan = null;
        while (plan is null || !plan.Clusters.All(c => c.Nodes > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the campaign never covered every cluster: " + plan);
            await Task.Delay(500);
            try
            {
                plan = await client.PlanCampaignAsync(request);
            }
            catch (Grpc.Core.RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument && ex.Status.Detail.Contains("no node is in cluster", StringComparison.Ordinal))
            {
                // The agents have not said Hello yet.
            }
        }

        var started = await client.StartCampaignAsync(new StartCampaignRequest
        {
            Runbook = "noop", Options = options, Parameters = { request.Parameters }, CampaignHash = plan.CampaignHash, ApproveAfterCanary = true,
        });
        return started.CampaignId;
    }
}
