using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace RollbackMesh.FunctionalTests.Cli.Ui;

/// <summary>
/// `rollbackmesh ui` in Debian's chromium (Playwright), against a real coordinator and real agent processes. Each test
/// writes a screenshot of the page it checked to bin/.../dashboard-screenshots/ for review.
/// </summary>
public sealed partial class DashboardBrowserTests(ITestOutputHelper log)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FleetPage_RealAgentsOfTwoClusters_ListsClustersThenTheirNodesConnectedAndFilters()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var server = AgentProcess.Start(log, coordinator.Address, "ui-server-1", ["server", "first-server"], cluster: "edge-1");
        using var agent = AgentProcess.Start(log, coordinator.Address, "ui-agent-1", ["agent"], cluster: "edge-1");
        using var other = AgentProcess.Start(log, coordinator.Address, "ui-server-2", ["server", "first-server"], cluster: "edge-2");
        using var dashboard = await DashboardProcess.StartAsync(log, Connection(coordinator));
        await using var chromium = await DebianChromium.LaunchAsync();
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);

        await page.GotoAsync(new Uri(dashboard.Address, "#/fleet").ToString());

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Fleet", Level = 1 })).ToBeVisibleAsync();
        // The page refreshes every 5 s; the agents may connect after it first loads.
        await Expect(page.Locator("tr[data-node='ui-server-1']")).ToContainTextAsync("connected", new() { Timeout = Ms(Patience) });
        await Expect(page.Locator("tr[data-node='ui-agent-1']")).ToContainTextAsync("connected", new() { Timeout = Ms(Patience) });
        await Expect(page.Locator("tr[data-node='ui-agent-1']")).ToContainTextAsync("healthy", new() { Timeout = Ms(Patience) });
        await Expect(page.Locator("tr[data-node='ui-agent-1']")).ToContainTextAsync("0.1.0");
        await Expect(page.Locator("tr[data-node='ui-server-2']")).ToContainTextAsync("connected", new() { Timeout = Ms(Patience) });
        // Clusters -> nodes: one row per cluster with its counts, then the nodes of the chosen one.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clusters (2)", Level = 2 })).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-cluster='edge-1'] td").First).ToHaveTextAsync("2");
        await Expect(page.Locator("tr[data-cluster='edge-2'] td").First).ToHaveTextAsync("1");
        await DebianChromium.ScreenshotAsync(page, "fleet");

        await page.GetByRole(AriaRole.Button, new() { Name = "Show nodes of edge-2" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nodes of cluster edge-2" })).ToBeFocusedAsync();
        await Expect(page.Locator("#fleet-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-node='ui-server-2']")).ToBeVisibleAsync();
        await DebianChromium.ScreenshotAsync(page, "fleet-cluster");

        await page.GetByRole(AriaRole.Button, new() { Name = "Show every cluster's nodes" }).ClickAsync();
        await page.GetByLabel("Filter nodes").FillAsync("agent");

        await Expect(page.Locator("#fleet-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-node='ui-agent-1']")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clusters (1)", Level = 2 })).ToBeVisibleAsync();
        await DebianChromium.ScreenshotAsync(page, "fleet-filtered");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task FleetPage_TenThousandNodesOfAThousandClusters_OnePageOfRowsPagedByKeyboard()
    {
        // The nodes are the coordinator's answer made bigger: the page is real, its /api/nodes reply is 10,000 nodes.
        const int Clusters = 1000;
        const int PerCluster = 10;
        var nodes = Enumerable.Range(0, Clusters * PerCluster).Select(i => new Dictionary<string, object>
        {
            ["name"] = $"node-{i:D5}",
            ["cluster"] = $"edge-{i / PerCluster:D4}",
            ["roles"] = i % PerCluster == 0 ? new[] { "server", "first-server" } : new[] { "agent" },
            ["connected"] = i != 4321,
            ["agentVersion"] = "0.1.0",
            ["health"] = new Dictionary<string, object> { ["healthy"] = true },
        });
        var body = System.Text.Json.JsonSerializer.Serialize(new { nodes });
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var dashboard = await DashboardProcess.StartAsync(log, Connection(coordinator));
        await using var chromium = await DebianChromium.LaunchAsync();
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        await page.RouteAsync("**/api/nodes", route => route.FulfillAsync(new() { ContentType = "application/json", Body = body }));
        var started = System.Diagnostics.Stopwatch.StartNew();

        await page.GotoAsync(new Uri(dashboard.Address, "#/fleet").ToString());

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Clusters ({Clusters})", Level = 2 })).ToBeVisibleAsync(new() { Timeout = Ms(Patience) });
        log.WriteLine(FormattableString.Invariant($"figure dashboard_fleet_10000_nodes_first_render_ms {started.ElapsedMilliseconds}"));
        // One page of each table is in the DOM, and the cluster with a node down is listed first, saying so in words.
        await Expect(page.Locator("#fleet-clusters tbody tr")).ToHaveCountAsync(100);
        await Expect(page.Locator("#fleet-table tbody tr")).ToHaveCountAsync(100);
        await Expect(page.Locator("#fleet-clusters tbody tr").First).ToHaveAttributeAsync("data-cluster", "edge-0432");
        await Expect(page.Locator("#fleet-clusters tbody tr").First).ToContainTextAsync("1 down");
        await Expect(page.Locator("#fleet-table [data-testid=pager-summary]")).ToContainTextAsync("of 10000");

        // Keyboard only: the skip link comes first, then the pages; a pager button works with Enter.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        var next = page.Locator("#fleet-table").GetByRole(AriaRole.Button, new() { Name = "Next page" });
        await next.FocusAsync();
        started.Restart();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#fleet-table [data-testid=pager-summary]")).ToContainTextAsync("Rows 101–200 of 10000");
        log.WriteLine(FormattableString.Invariant($"figure dashboard_fleet_10000_nodes_page_turn_ms {started.ElapsedMilliseconds}"));
        await Expect(page.Locator("#fleet-table tbody tr").First).ToHaveAttributeAsync("data-node", "node-00100");
        await Expect(next).ToBeFocusedAsync(); // the redraw gives the focus back: Enter again turns the next page
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#fleet-table [data-testid=pager-summary]")).ToContainTextAsync("Rows 201–300 of 10000");
        await DebianChromium.ScreenshotAsync(page, "fleet-10000");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task RunPage_NoopRunOnRealAgents_StepsTurnSucceededLiveWithoutReload()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var server = AgentProcess.Start(log, coordinator.Address, "ui-server-1", ["server", "first-server"]);
        using var agent = AgentProcess.Start(log, coordinator.Address, "ui-agent-1", ["agent"]);
        var connection = Connection(coordinator);
        // The browser is ready before the run starts, so the page opens while the first step still sleeps.
        using var dashboard = await DashboardProcess.StartAsync(log, connection);
        await using var chromium = await DebianChromium.LaunchAsync();
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;
        // Two phases of 4 s steps with a health gate between.
        var hash = await WaitForCleanPlanAsync(connection, "sleep_ms=4000", "ui-agent-1");
        var apply = await CliRun.RunAsync(log, [.. connection, "apply", "noop", "--param", "sleep_ms=4000", "--plan-hash", hash]);
        Assert.Equal(0, apply.ExitCode);
        var runId = CliPlans.RunIdIn(apply.Stdout);

        await page.GotoAsync(new Uri(dashboard.Address, "#/run/" + runId).ToString());
        var seen = await WatchStepStatesAsync(page, until: () => page.GetByTestId("run-state").InnerTextAsync(), "succeeded");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Run " + runId, Level = 1 })).ToBeVisibleAsync();
        const string agentStep = "agents/ui-agent-1/noop";
        log.WriteLine(string.Join('\n', seen));
        // Live: the agents' step was seen not yet succeeded and then succeeded, in one page load.
        Assert.Contains(seen, s => s.StartsWith(agentStep + "=", StringComparison.Ordinal) && s != agentStep + "=succeeded");
        Assert.Contains(agentStep + "=succeeded", seen);
        Assert.Contains("first-server/ui-server-1/noop=succeeded", seen);
        Assert.Equal(1, navigations);
        await Expect(page.Locator("#run-live")).ToContainTextAsync("ended");
        Assert.DoesNotContain("null", await page.Locator("#run-status").InnerTextAsync(), StringComparison.Ordinal);
        await DebianChromium.ScreenshotAsync(page, "run");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task RunPage_AStepTimesOut_FailingNodeListedFirstSayingTimedOut()
    {
        var runbooks = Directory.CreateTempSubdirectory("rbm-ui-runbooks-").FullName;
        try
        {
            // The agents' step sleeps past its timeout on the real agent; the first server's succeeds.
            File.WriteAllText(Path.Combine(runbooks, "slow.yaml"), """
                name: slow
                version: "1"
                procedure: 003_3f800a8f042ff462.txt
                description: The agents' step outlives its timeout.
                phases:
                  - name: first-server
                    nodes: first-server
                    mode: serial
                    steps:
                      - { name: quick, action: no_op, args: { sleep_milliseconds: "10" }, timeout: 1m, source: test }
                  - name: agents
                    nodes: agents
                    mode: parallel
                    failure_budget: 0
                    steps:
                      - { name: slow, action: no_op, args: { sleep_milliseconds: "5000" }, timeout: 1s, source: test }
                """);
            using var coordinator = await CoordinatorProcess.StartAsync(log, "--runbooks", runbooks);
            // "aa-server" sorts before "zz-agent" by name: only failing-first puts zz-agent on top.
            using var server = AgentProcess.Start(log, coordinator.Address, "aa-server", ["server", "first-server"]);
            using var agent = AgentProcess.Start(log, coordinator.Address, "zz-agent", ["agent"]);
            var connection = Connection(coordinator);
            var hash = await WaitForCleanPlanAsync(connection, "slow", null, "zz-agent");
            var apply = await CliRun.RunAsync(log, [.. connection, "apply", "slow", "--plan-hash", hash]);
            Assert.Equal(0, apply.ExitCode);
            using var dashboard = await DashboardProcess.StartAsync(log, connection);
            await using var chromium = await DebianChromium.LaunchAsync();
            var errors = new List<string>();
            var page = await chromium.NewPageAsync(errors);

            await page.GotoAsync(new Uri(dashboard.Address, "#/run/" + CliPlans.RunIdIn(apply.Stdout)).ToString());

            await Expect(page.GetByTestId("run-state")).ToContainTextAsync("failed", new() { Timeout = Ms(Patience) });
            var rows = page.Locator("#run-matrix tbody tr");
            await Expect(rows.First).ToHaveAttributeAsync("data-node", "zz-agent");
            // The word, not only the colour (the ✗/✓ marks are CSS and not part of the text).
            await Expect(rows.First).ToContainTextAsync("slow: timed out");
            await Expect(rows.First.Locator(".state-bad")).ToHaveTextAsync("timed out");
            await Expect(rows.Nth(1)).ToContainTextAsync("quick: succeeded");
            await DebianChromium.ScreenshotAsync(page, "run-failed");
            Assert.Empty(errors);
        }
        finally
        {
            Directory.Delete(runbooks, recursive: true);
        }
    }

    [Fact]
    public async Task RunPage_PauseResumeAbortWithReasonAndConfirm_ControlTheRunAndAreAudited()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var server = AgentProcess.Start(log, coordinator.Address, "ui-server-1", ["server", "first-server"]);
        using var agent = AgentProcess.Start(log, coordinator.Address, "ui-agent-1", ["agent"]);
        var connection = Connection(coordinator);
        using var dashboard = await DashboardProcess.StartAsync(log, connection);
        await using var chromium = await DebianChromium.LaunchAsync();
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        // Long steps: the run is still going while the page pauses, resumes and aborts it.
        var hash = await WaitForCleanPlanAsync(connection, "sleep_ms=8000", "ui-agent-1");
        var apply = await CliRun.RunAsync(log, [.. connection, "apply", "noop", "--param", "sleep_ms=8000", "--plan-hash", hash]);
        Assert.Equal(0, apply.ExitCode);
        var runId = CliPlans.RunIdIn(apply.Stdout);
        // Each control asks a reason (a prompt) and then a confirmation; the first pause is confirmed "no".
        var reasons = new Queue<string>(["changed my mind", "maintenance window moved", "window open again", "wrong cluster"]);
        var confirms = new Queue<bool>([false, true, true, true]);
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.Type == "prompt" ? dialog.AcceptAsync(reasons.Dequeue()) : confirms.Dequeue() ? dialog.AcceptAsync() : dialog.DismissAsync();
        };
        await page.GotoAsync(new Uri(dashboard.Address, "#/run/" + runId).ToString());
        var pause = page.GetByRole(AriaRole.Button, new() { Name = "Pause…" });

        await pause.ClickAsync();
        await Expect(pause).ToBeEnabledAsync();
        await pause.ClickAsync();
        await Expect(page.GetByTestId("run-state")).ToContainTextAsync("paused", new() { Timeout = Ms(Patience) });
        await DebianChromium.ScreenshotAsync(page, "run-paused");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume…" }).ClickAsync();
        await Expect(page.GetByTestId("run-state")).ToContainTextAsync("running", new() { Timeout = Ms(Patience) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Abort…" }).ClickAsync();

        await Expect(page.GetByTestId("run-state")).ToContainTextAsync("aborted", new() { Timeout = Ms(Patience) });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abort…" })).ToHaveCountAsync(0);
        await DebianChromium.ScreenshotAsync(page, "run-aborted");
        var audit = await CliRun.RunAsync(log, [.. connection, "history", runId]);
        log.WriteLine(audit.Stdout);
        Assert.Single(Regex.Matches(audit.Stdout, @"insecure-operator\s+run\.pause"));
        Assert.Contains("maintenance window moved", audit.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"insecure-operator\s+run\.resume", audit.Stdout);
        Assert.Matches(@"insecure-operator\s+run\.abort", audit.Stdout);
        Assert.Contains("wrong cluster", audit.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("changed my mind", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains(dialogs, d => d.Contains("cannot be undone", StringComparison.Ordinal));
        Assert.Empty(reasons);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task PlanPage_ApproveAfterConfirm_StartsTheReviewedPlanAndHistoryShowsTheOperator()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var server = AgentProcess.Start(log, coordinator.Address, "ui-server-1", ["server", "first-server"]);
        var connection = Connection(coordinator);
        await WaitForCleanPlanAsync(connection, "sleep_ms=200", "ui-server-1");
        using var dashboard = await DashboardProcess.StartAsync(log, connection);
        await using var chromium = await DebianChromium.LaunchAsync();
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        await page.GotoAsync(new Uri(dashboard.Address, "#/plan").ToString());
        await Expect(page.GetByLabel("Runbook").Locator("option[value='noop']")).ToHaveCountAsync(1);
        await page.GetByLabel("Runbook").SelectOptionAsync("noop");
        await page.GetByLabel("Parameters").FillAsync("sleep_ms=200");
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan with dry runs" }).ClickAsync();
        await Expect(page.Locator("details[data-node='ui-server-1']")).ToBeVisibleAsync(new() { Timeout = Ms(Patience) });
        await page.Locator("details[data-node='ui-server-1'] summary").ClickAsync();
        await Expect(page.Locator("details[data-node='ui-server-1'] pre")).ToContainTextAsync("sleep 200 ms");
        var hash = await page.GetByTestId("plan-hash").InnerTextAsync();
        await DebianChromium.ScreenshotAsync(page, "plan");
        var approve = page.GetByRole(AriaRole.Button, new() { Name = "Approve and start…" });

        // Declining the confirmation starts nothing.
        var dialogs = new List<string>();
        void Decline(object? sender, IDialog dialog)
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        }

        page.Dialog += Decline;
        await approve.ClickAsync();
        await Expect(approve).ToBeEnabledAsync();
        page.Dialog -= Decline;
        var declined = await CliRun.RunAsync(log, [.. connection, "history"]);
        Assert.DoesNotContain("run.start", declined.Stdout, StringComparison.Ordinal);

        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.AcceptAsync();
        };
        await approve.ClickAsync();

        await page.WaitForURLAsync(new Regex("#/run/run-"), new() { Timeout = Ms(Patience) });
        await Expect(page.GetByTestId("run-state")).ToContainTextAsync("succeeded", new() { Timeout = Ms(Patience) });
        Assert.Equal(2, dialogs.Count);
        Assert.All(dialogs, d => Assert.Contains(hash, d, StringComparison.Ordinal));
        var runId = CliPlans.RunIdIn(page.Url);

        await page.GotoAsync(new Uri(dashboard.Address, "#/history").ToString());
        var start = page.Locator("tbody tr", new() { HasText = "run.start" });
        await Expect(start).ToContainTextAsync("insecure-operator");
        await Expect(start).ToContainTextAsync(runId);
        await DebianChromium.ScreenshotAsync(page, "history");
        var audit = await CliRun.RunAsync(log, [.. connection, "history", runId]);
        Assert.Matches(@"insecure-operator\s+run\.start", audit.Stdout);
        Assert.Empty(errors);
    }

    private static string[] Connection(CoordinatorProcess coordinator) => ["--coordinator", coordinator.Address.ToString(), "--insecure"];

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    /// <summary>Plans the noop runbook until preflight passes with <paramref name="node"/> in the plan; returns the hash.</summary>
    private Task<string> WaitForCleanPlanAsync(string[] connection, string parameter, string node) =>
        WaitForCleanPlanAsync(connection, "noop", parameter, node);

    /// <summary>Plans <paramref name="runbook"/> until preflight passes with <paramref name="node"/> in the plan; returns the hash.</summary>
    private async Task<string> WaitForCleanPlanAsync(string[] connection, string runbook, string? parameter, string node)
    {
        string[] parameters = parameter is null ? [] : ["--param", parameter];
        return CliPlans.HashOf((await CliPlans.UntilPreflightOkAsync(log, [.. connection, "plan", runbook, .. parameters], node)).Stdout);
    }

    /// <summary>Every distinct "stepId=state" the page showed, sampled every 100 ms until the run state reads <paramref name="final"/>.</summary>
    private static async Task<List<string>> WatchStepStatesAsync(IPage page, Func<Task<string>> until, string final)
    {
        var seen = new List<string>();
        var giveUp = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < giveUp)
        {
            // The run state is read first: once it is final, the steps sampled after it are final too.
            var done = await page.GetByTestId("run-state").CountAsync() > 0 && (await until()).Contains(final, StringComparison.Ordinal);
            var states = await page.Locator("[data-step]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.step + '=' + e.dataset.state)");
            seen.AddRange(states.Where(s => !seen.Contains(s)));
            if (done)
            {
                return seen;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The run did not show '{final}' within {Patience.TotalSeconds} s; states seen: {string.Join(", ", seen)}");
    }


}
