using Microsoft.Playwright;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace RollbackMesh.FunctionalTests.Cli.Ui;

/// <summary>Keyboard and screen-reader basics on every page, checked in chromium against a real coordinator and agent.</summary>
public sealed partial class DashboardBrowserTests
{
    /// <summary>
    /// The page's problems for a keyboard or screen-reader user, as sentences: not one h1, a heading level skipped, a
    /// form control without a label, a button or link without a name, a state shown by colour alone, a table without
    /// a caption or header cells.
    /// </summary>
    private const string AuditScript = """
        () => {
          const problems = [];
          const h1 = document.querySelectorAll("h1").length;
          if (h1 !== 1) problems.push(`${h1} h1 headings`);
          let previous = 1;
          for (const h of document.querySelectorAll("main h1, main h2, main h3, main h4")) {
            const level = Number(h.tagName[1]);
            if (level > previous + 1) problems.push(`heading "${h.textContent}" skips from h${previous} to h${level}`);
            previous = level;
          }
          for (const c of document.querySelectorAll("input, select, textarea")) {
            if (!(c.labels && c.labels.length) && !c.getAttribute("aria-label") && !c.getAttribute("aria-labelledby"))
              problems.push(`${c.tagName.toLowerCase()} #${c.id} has no label`);
          }
          for (const b of document.querySelectorAll("button, a[href]")) {
            if (!b.textContent.trim() && !b.getAttribute("aria-label")) problems.push(`${b.outerHTML.slice(0, 80)} has no name`);
          }
          for (const s of document.querySelectorAll(".state")) {
            if (!s.textContent.trim()) problems.push(`a state shown by colour only: ${s.outerHTML.slice(0, 80)}`);
          }
          for (const t of document.querySelectorAll("table")) {
            if (!t.querySelector("caption") && !t.getAttribute("aria-label")) problems.push("a table without a caption");
            if (!t.querySelector("thead th")) problems.push("a table without header cells");
          }
          return problems;
        }
        """;

    [Fact]
    public async Task EveryPage_KeyboardAndScreenReaderBasics_HoldOnFleetRunHistoryAndPlan()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var server = AgentProcess.Start(log, coordinator.Address, "ui-server-1", ["server", "first-server"]);
        var connection = Connection(coordinator);
        var hash = await WaitForCleanPlanAsync(connection, "sleep_ms=100", "ui-server-1");
        var apply = await CliRun.RunAsync(log, [.. connection, "apply", "noop", "--param", "sleep_ms=100", "--plan-hash", hash, "--watch"]);
        Assert.Equal(0, apply.ExitCode);
        using var dashboard = await DashboardProcess.StartAsync(log, connection);
        await using var chromium = await DebianChromium.LaunchAsync();
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        var problems = new List<string>();

        await page.GotoAsync(new Uri(dashboard.Address, "#/fleet").ToString());
        await Expect(page.Locator("tr[data-node='ui-server-1']")).ToBeVisibleAsync(new() { Timeout = Ms(Patience) });
        problems.AddRange((await page.EvaluateAsync<string[]>(AuditScript)).Select(p => "fleet: " + p));
        // Focus order from the top: the skip link, then the pages in the order they are listed.
        var order = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        }

        Assert.Equal(["Skip to content", "Fleet", "Run", "History", "Plan review"], order);
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Enter"); // the skip link moves the focus to the content
        await Expect(page.Locator("main")).ToBeFocusedAsync();

        // The audit sees what it looks for: an unlabelled field and a colour-only state added to the page are reported.
        await page.EvaluateAsync("""() => { const m = document.querySelector("main"); m.append(document.createElement("input")); const s = document.createElement("span"); s.className = "state state-bad"; m.append(s); }""");
        var planted = await page.EvaluateAsync<string[]>(AuditScript);
        Assert.Contains(planted, p => p.Contains("has no label", StringComparison.Ordinal));
        Assert.Contains(planted, p => p.Contains("colour only", StringComparison.Ordinal));

        await page.GotoAsync(new Uri(dashboard.Address, "#/run/" + CliPlans.RunIdIn(apply.Stdout)).ToString());
        await Expect(page.GetByTestId("run-state")).ToContainTextAsync("succeeded", new() { Timeout = Ms(Patience) });
        problems.AddRange((await page.EvaluateAsync<string[]>(AuditScript)).Select(p => "run: " + p));

        await page.GotoAsync(new Uri(dashboard.Address, "#/history").ToString());
        await Expect(page.Locator("tbody tr", new() { HasText = "run.start" })).ToBeVisibleAsync(new() { Timeout = Ms(Patience) });
        problems.AddRange((await page.EvaluateAsync<string[]>(AuditScript)).Select(p => "history: " + p));

        await page.GotoAsync(new Uri(dashboard.Address, "#/plan").ToString());
        await Expect(page.GetByLabel("Runbook").Locator("option[value='noop']")).ToHaveCountAsync(1);
        await page.GetByLabel("Runbook").SelectOptionAsync("noop");
        await page.GetByLabel("Parameters").FillAsync("sleep_ms=100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan with dry runs" }).ClickAsync();
        await Expect(page.Locator("details[data-node='ui-server-1']")).ToBeVisibleAsync(new() { Timeout = Ms(Patience) });
        problems.AddRange((await page.EvaluateAsync<string[]>(AuditScript)).Select(p => "plan: " + p));

        Assert.Empty(problems);
        Assert.Empty(errors);
    }
}
