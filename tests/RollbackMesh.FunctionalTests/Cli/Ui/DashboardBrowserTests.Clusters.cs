using Microsoft.Playwright;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace RollbackMesh.FunctionalTests.Cli.Ui;

public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task PlanPage_FleetOfTwoClusters_RefusedNamingThemUntilAClusterIsGivenThenStartsOnIt()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var alpha = AgentProcess.Start(log, coordinator.Address, "ui-alpha-1", ["server", "first-server"], cluster: "alpha");
        using var beta = AgentProcess.Start(log, coordinator.Address, "ui-beta-1", ["server", "first-server"], cluster: "beta");
        var connection = Connection(coordinator);
        await CliPlans.UntilPreflightOkAsync(log, [.. connection, "plan", "noop", "--cluster", "alpha"], "ui-alpha-1");
        await CliPlans.UntilPreflightOkAsync(log, [.. connection, "plan", "noop", "--cluster", "beta"], "ui-beta-1");
        using var dashboard = await DashboardProcess.StartAsync(log, connection);
        await using var chromium = await DebianChromium.LaunchAsync();
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        await page.GotoAsync(new Uri(dashboard.Address, "#/plan").ToString());
        await Expect(page.GetByLabel("Runbook").Locator("option[value='noop']")).ToHaveCountAsync(1);
        await page.GetByLabel("Runbook").SelectOptionAsync("noop");
        var planButton = page.GetByRole(AriaRole.Button, new() { Name = "Plan with dry runs" });

        await planButton.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("2 clusters (alpha, beta)", new() { Timeout = Ms(Patience) });

        await page.GetByLabel("Cluster").FillAsync("beta");
        await planButton.ClickAsync();
        await Expect(page.Locator("details[data-node='ui-beta-1']")).ToBeVisibleAsync(new() { Timeout = Ms(Patience) });
        await Expect(page.GetByTestId("plan-cluster")).ToHaveTextAsync("Cluster: beta");
        await Expect(page.Locator("details[data-node='ui-alpha-1']")).ToHaveCountAsync(0);
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve and start…" }).ClickAsync();

        await Expect(page.GetByTestId("run-state")).ToContainTextAsync("succeeded", new() { Timeout = Ms(Patience) });
        var runs = await CliRun.RunAsync(log, [.. connection, "runs", "--cluster", "beta"]);
        Assert.Contains(CliPlans.RunIdIn(page.Url), runs.Stdout, StringComparison.Ordinal);
        // The refused plan is a 400 the browser logs; nothing else went wrong.
        Assert.DoesNotContain(errors, e => !e.Contains("400", StringComparison.Ordinal));
    }
}
