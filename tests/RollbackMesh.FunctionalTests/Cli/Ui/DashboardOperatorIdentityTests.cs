using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace RollbackMesh.FunctionalTests.Cli.Ui;

/// <summary>
/// The dashboard over mutual TLS: a coordinator with TLS on, an agent that enrolled with a join token, and
/// `rollbackmesh ui` holding operator alice's certificate. Approving in the browser (the reviewed plan, then a step
/// that needs approval) goes through alice's connection, so the coordinator's audit names alice for both.
/// </summary>
public sealed partial class DashboardOperatorIdentityTests(ITestOutputHelper log) : IDisposable
{
    private const string Node = "ui-tls-server";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("rbm-ui-tls-").FullName;

    private string Data => Path.Combine(_directory, "data");

    private string Operators => Path.Combine(_directory, "ops");

    [Fact]
    public async Task ApproveGate_InBrowserOverAlicesCertificate_RunContinuesAndAuditNamesAlice()
    {
        var (serve, address, token) = await StartCoordinatorAsync();
        using var _ = serve;
        using var agent = StartAgent(address, token);
        string[] connection = ["--coordinator", address, "--ca", Path.Combine(Operators, "ca.crt"),
            "--cert", Path.Combine(Operators, "alice.crt"), "--key", Path.Combine(Operators, "alice.key")];
        await OperatorNodes.WaitForAsync(log, address, Operators, Node, n => n.GetProperty("connected").GetBoolean() && n.TryGetProperty("health", out var h) && h.ValueKind == System.Text.Json.JsonValueKind.Object);
        using var dashboard = await DashboardProcess.StartAsync(log, connection);
        await using var chromium = await DebianChromium.LaunchAsync();
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.AcceptAsync();
        };

        await page.GotoAsync(new Uri(dashboard.Address, "#/plan").ToString());
        await Expect(page.GetByLabel("Runbook").Locator("option[value='gated']")).ToHaveCountAsync(1);
        await page.GetByLabel("Runbook").SelectOptionAsync("gated");
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan with dry runs" }).ClickAsync();
        await Expect(page.GetByText("passed")).ToBeVisibleAsync(new() { Timeout = Ms(Patience) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve and start…" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("#/run/run-"), new() { Timeout = Ms(Patience) });
        await Expect(page.GetByTestId("run-state")).ToContainTextAsync("awaiting approval", new() { Timeout = Ms(Patience) });
        var approve = page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Approve gate ") });
        await Expect(approve).ToBeVisibleAsync();
        await DebianChromium.ScreenshotAsync(page, "run-awaiting-approval");

        await approve.ClickAsync();

        await Expect(page.GetByTestId("run-state")).ToContainTextAsync("succeeded", new() { Timeout = Ms(Patience) });
        Assert.Equal(2, dialogs.Count);
        Assert.Contains("recorded in the audit under your name", dialogs[1], StringComparison.Ordinal);
        var runId = CliPlans.RunIdIn(page.Url);
        await page.GotoAsync(new Uri(dashboard.Address, "#/history").ToString());
        await Expect(page.Locator("tbody tr", new() { HasText = "run.start" })).ToContainTextAsync("alice");
        await DebianChromium.ScreenshotAsync(page, "history-alice");
        var audit = await CliRun.RunAsync(log, [.. connection, "history", runId]);
        Assert.Matches(@"alice\s+run\.start", audit.Stdout);
        Assert.Matches(@"alice\s+run\.approve", audit.Stdout);
        Assert.Empty(errors);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    private async Task<(TestProcess Serve, string Address, string Token)> StartCoordinatorAsync()
    {
        var runbooks = Directory.CreateDirectory(Path.Combine(_directory, "runbooks")).FullName;
        // One no-op step that waits for an operator's approval before it runs.
        File.WriteAllText(Path.Combine(runbooks, "gated.yaml"), """
            name: gated
            version: "1"
            procedure: 003_3f800a8f042ff462.txt
            description: One no-op step on the first server that needs an operator's approval first.
            phases:
              - name: first-server
                nodes: first-server
                mode: serial
                steps:
                  - name: noop
                    action: no_op
                    args: { sleep_milliseconds: "100" }
                    timeout: 1m
                    approval: required
                    source: stands in for a step the operator must approve
            """);
        Assert.Equal(0, await RunCoordinatorAsync("init", "--data", Data));
        string token;
        using (var create = TestProcess.Start("token create", BuiltExecutables.Coordinator, ["token", "create", "--data", Data]))
        {
            token = (await create.WaitForStdoutLineAsync(l => l.StartsWith("K10", StringComparison.Ordinal), Patience)).Trim();
            Assert.Equal(0, await create.WaitForExitAsync(Patience));
        }

        Assert.Equal(0, await RunCoordinatorAsync("operator", "add", "alice", "--data", Data, "--out", Operators));
        var serve = TestProcess.Start("coordinator", BuiltExecutables.Coordinator, ["serve", "--listen", "127.0.0.1:0", "--data", Data, "--runbooks", runbooks]);
        var address = (await serve.WaitForStdoutLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), Patience))["listening on ".Length..];
        Assert.StartsWith("https://", address, StringComparison.Ordinal);
        return (serve, address, token);
    }

    private TestProcess StartAgent(string address, string token)
    {
        var state = Directory.CreateDirectory(Path.Combine(_directory, "agent")).FullName;
        var tls = Path.Combine(state, "tls");
        var config = Path.Combine(state, "agent.yaml");
        File.WriteAllText(config, $"""
            nodeName: {Node}
            roles: [server, first-server]
            cluster: test
            coordinator:
              address: {address}
              tls:
                ca: {tls}/ca.crt
                cert: {tls}/node.crt
                key: {tls}/node.key
            journalPath: {state}/journal.db
            quarantinePath: {state}/quarantine
            dataDirectories: [/]
            healthInterval: 1s
            systemBusAddress: unix:path={state}/no-system-bus
            """);
        return TestProcess.Start("agent", BuiltExecutables.Agent, ["--config", config],
            new Dictionary<string, string> { ["ROLLBACKMESH_AGENT__COORDINATOR__TOKEN"] = token });
    }

    private async Task<int> RunCoordinatorAsync(params string[] args)
    {
        using var process = TestProcess.Start("rollbackmesh-coordinator " + args[0], BuiltExecutables.Coordinator, args);
        var code = await process.WaitForExitAsync(Patience);
        log.WriteLine($"$ rollbackmesh-coordinator {string.Join(' ', args)}  (exit {code})\n{process.Output}");
        return code;
    }

}
