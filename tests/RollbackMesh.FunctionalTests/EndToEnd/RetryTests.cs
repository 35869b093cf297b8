using System.Text.Json;
using System.Text.RegularExpressions;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>
/// Issue 12 item 7 with the real CLI, coordinator and agent: a run whose second phase fails on a missing file is
/// retried after the file is created. `retry --watch` exits 0, the step that failed ran again as attempt 2 (the real
/// agent's journal would have answered the first attempt's id with the recorded failure) and the first phase's step
/// was not run again.
/// </summary>
public sealed partial class RetryTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("rbm-e2e-retry-").FullName;

    [Fact]
    public async Task Retry_StepFailedOnAMissingFileThatIsThenCreated_RetryCompletesTheRunFromThatStep()
    {
        var allowed = Directory.CreateDirectory(Path.Combine(_sandbox, "allowed")).FullName;
        var token = Path.Combine(allowed, "token");
        var runbooks = Directory.CreateDirectory(Path.Combine(_sandbox, "runbooks")).FullName;
        File.WriteAllText(Path.Combine(runbooks, "retry-test.yaml"), Runbook(token));
        using var coordinator = await CoordinatorProcess.StartAsync(log, "--runbooks", runbooks);
        using var agent = AgentProcess.Start(log, coordinator.Address, "e2e-retry", ["server", "first-server"],
            extraConfig: $"allowedRoots: [{allowed}, {_sandbox}/backups]\nbackupPath: {_sandbox}/backups");
        string[] connection = ["--coordinator", coordinator.Address.ToString(), "--insecure"];
        var hash = CliPlans.HashOf((await CliPlans.UntilPreflightOkAsync(log, [.. connection, "plan", "retry-test"])).Stdout);

        var apply = await CliRun.RunAsync(log, [.. connection, "apply", "retry-test", "--plan-hash", hash, "--watch"]);
        Assert.Equal(1, apply.ExitCode);
        var runId = CliPlans.RunIdIn(apply.Stdout);
        Assert.Contains($"{token} does not exist", apply.Stdout, StringComparison.Ordinal);

        var early = await CliRun.RunAsync(log, [.. connection, "retry", "run-00000000-000000-00"]);
        Assert.Equal(2, early.ExitCode);
        File.WriteAllText(token, "K10abc::server:secret\n");
        var retry = await CliRun.RunAsync(log, [.. connection, "retry", runId, "--watch"]);

        Assert.Equal(0, retry.ExitCode);
        Assert.Contains($"Retrying run {runId} (attempt 2)", retry.Stdout, StringComparison.Ordinal);
        var status = await CliRun.RunAsync(log, [.. connection, "--json", "status", runId]);
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal("RUN_STATE_SUCCEEDED", json.RootElement.GetProperty("state").GetString());
        var attempts = json.RootElement.GetProperty("steps").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.TryGetProperty("attempt", out var a) ? a.GetInt32() : 0);
        Assert.Equal(new Dictionary<string, int> { ["warm-up"] = 1, ["token"] = 2, ["after"] = 1 }, attempts);
        var text = await CliRun.RunAsync(log, [.. connection, "status", runId]);
        Assert.Contains("succeeded (attempt 2), phase second", text.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"second\s+e2e-retry\s+token\s+succeeded \(attempt 2\)", text.Stdout);
        var history = await CliRun.RunAsync(log, [.. connection, "history", runId]);
        Assert.Matches(@"insecure-operator\s+run\.retry", history.Stdout);
        // The first phase's step succeeded once and was never sent again.
        Assert.Single(StepSucceeded().Matches(history.Stdout));
        var again = await CliRun.RunAsync(log, [.. connection, "retry", runId]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is Succeeded", again.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    private static string Runbook(string token) => $"""
        name: retry-test
        version: "1"
        procedure: 003_3f800a8f042ff462.txt
        description: Phase 1 is a no-op, phase 2 reads a file the test creates only after the first attempt failed.
        phases:
          - name: first
            nodes: first-server
            mode: serial
            steps:
              - name: warm-up
                action: no_op
                timeout: 1m
                source: test step that must not run again
          - name: second
            nodes: first-server
            mode: serial
            steps:
              - name: token
                action: k3s_token_check
                args: {"{"} token_path: "{token}" {"}"}
                timeout: 1m
                source: test step that fails until the file exists
              - name: after
                action: no_op
                timeout: 1m
                source: test step after the failed one
        """;



    [GeneratedRegex(@"step\.succeeded\s+.*first/e2e-retry/warm-up")]
    private static partial Regex StepSucceeded();
}
