using System.Text.RegularExpressions;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>
/// Issue 17 item 2 with the real CLI, coordinator and agent: phase 1 edits a file inside the agent's allowed roots,
/// phase 2 names a file outside them. The agent's dry run refuses phase 2's step, so plan is not ok and apply must
/// refuse to start (exit 2) without phase 1 having written anything.
/// </summary>
public sealed partial class PreflightRefusalTests(ITestOutputHelper log) : IDisposable
{
    private const string FelixConfig = "DatastoreType = etcdv3\nEtcdEndpoints = http://127.0.0.1:2379\n";
    private const string RefusedLine = "e2e-refuse: step edit-outside (phase second) not accepted by its dry run: REFUSED:";
    private readonly string _sandbox = Directory.CreateTempSubdirectory("rbm-e2e-refuse-").FullName;

    [Fact]
    public async Task Apply_PhaseTwoPathOutsideAllowedRoots_PlanNotOkAndApplyExits2WithoutWritingPhaseOne()
    {
        var allowed = Directory.CreateDirectory(Path.Combine(_sandbox, "allowed")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_sandbox, "outside")).FullName;
        var inside = Path.Combine(allowed, "felix.cfg");
        var escape = Path.Combine(outside, "felix.cfg");
        File.WriteAllText(inside, FelixConfig);
        File.WriteAllText(escape, FelixConfig);
        var runbooks = Directory.CreateDirectory(Path.Combine(_sandbox, "runbooks")).FullName;
        File.WriteAllText(Path.Combine(runbooks, "refuse-test.yaml"), Runbook(inside, escape));
        using var coordinator = await CoordinatorProcess.StartAsync(log, "--runbooks", runbooks);
        using var agent = AgentProcess.Start(log, coordinator.Address, "e2e-refuse", ["server", "first-server"],
            extraConfig: $"allowedRoots: [{allowed}, {_sandbox}/backups]\nbackupPath: {_sandbox}/backups");
        string[] connection = ["--coordinator", coordinator.Address.ToString(), "--insecure"];

        var plan = await WaitForRefusalAsync(connection);

        Assert.Contains("Preflight: NOT OK", plan.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Preflight: ok", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains(escape, plan.Stdout, StringComparison.Ordinal);
        var hash = CliPlans.HashOf(plan.Stdout);

        var apply = await CliRun.RunAsync(log, [.. connection, "apply", "refuse-test", "--plan-hash", hash, "--watch"]);

        Assert.Equal(2, apply.ExitCode);
        Assert.Contains(RefusedLine, apply.Stderr, StringComparison.Ordinal);
        Assert.Contains(escape, apply.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Started run", apply.Stdout, StringComparison.Ordinal);
        Assert.Equal(FelixConfig, File.ReadAllText(inside));
        Assert.Equal(FelixConfig, File.ReadAllText(escape));
    }

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    private static string Runbook(string inside, string escape) => $"""
        name: refuse-test
        version: "1"
        procedure: 003_3f800a8f042ff462.txt
        description: Phase 1 edits a file inside the allowed roots, phase 2 one outside them.
        phases:
          - name: first
            nodes: first-server
            mode: serial
            steps:
              - name: edit-inside
                action: felix_config
                args: {"{"} path: "{inside}", remove_keys: [DatastoreType] {"}"}
                timeout: 1m
                source: test step inside the allowed roots
          - name: second
            nodes: first-server
            mode: serial
            steps:
              - name: edit-outside
                action: felix_config
                args: {"{"} path: "{escape}", remove_keys: [DatastoreType] {"}"}
                timeout: 1m
                source: test step outside the allowed roots
        """;

    /// <summary>Plans until the node itself passes (connected, reporting) and only the dry-run refusal is left, for up to 60 s.</summary>
    private async Task<CliRun> WaitForRefusalAsync(string[] connection)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var plan = await CliRun.RunAsync(log, [.. connection, "plan", "refuse-test"]);
            var preflight = PreflightLines().Matches(plan.Stdout).Select(m => m.Groups[1].Value).ToList();
            if (plan.ExitCode == 0 && preflight.Count == 1 && preflight[0].StartsWith(RefusedLine, StringComparison.Ordinal))
            {
                return plan;
            }

            Assert.True(DateTime.UtcNow < giveUp, "The plan never came down to the dry-run refusal alone:\n" + plan.Stdout + plan.Stderr);
            await Task.Delay(500);
        }
    }


    // The lines under "Preflight:" naming the node (the plan's preflight steps would say "will check").
    [GeneratedRegex(@"^  (e2e-refuse: .*)$", RegexOptions.Multiline)]
    private static partial Regex PreflightLines();
}
