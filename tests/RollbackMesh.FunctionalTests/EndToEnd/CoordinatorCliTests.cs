using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>The CLI's exit codes and the coordinator's start-up rules, with real processes.</summary>
public sealed class CoordinatorCliTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Cli_CoordinatorUnreachable_ExitCode3()
    {
        var run = await CliRun.RunAsync(log, "--coordinator", "http://127.0.0.1:1", "--insecure", "nodes");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("unreachable", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_PlaintextToTlsCoordinator_ExitCode3()
    {
        await using var coordinator = await Security.SecureCoordinator.StartAsync();

        var run = await CliRun.RunAsync(log, "--coordinator", $"http://127.0.0.1:{coordinator.Address.Port}", "--insecure", "nodes");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("unreachable", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_BadInput_ExitCode2()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        var url = coordinator.Address.ToString();

        var unknownRunbook = await CliRun.RunAsync(log, "--coordinator", url, "--insecure", "plan", "no-such-runbook");
        var badParameter = await CliRun.RunAsync(log, "--coordinator", url, "--insecure", "plan", "noop", "--param", "sleep_ms");
        var plaintextWithoutInsecure = await CliRun.RunAsync(log, "--coordinator", url, "nodes");
        var unknownRun = await CliRun.RunAsync(log, "--coordinator", url, "--insecure", "status", "run-none");
        var staleHash = await CliRun.RunAsync(log, "--coordinator", url, "--insecure", "apply", "noop", "--plan-hash", "feed");
        var noCommand = await CliRun.RunAsync(log, "--coordinator", url, "--insecure");

        Assert.All([unknownRunbook, badParameter, plaintextWithoutInsecure, unknownRun, staleHash, noCommand], r => Assert.Equal(2, r.ExitCode));
        Assert.Contains("no-such-runbook", unknownRunbook.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithoutInsecureOrTls_RefusesToStart()
    {
        using var process = TestProcess.Start("coordinator", BuiltExecutables.Coordinator, ["serve", "--listen", "127.0.0.1:0", "--data", Path.GetTempPath()]);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("--tls-cert is required", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Insecure_WarnsAndStopsCleanlyOnSigterm()
    {
        var coordinator = await CoordinatorProcess.StartAsync(log);
        using (coordinator)
        {
            Assert.Equal(0, await coordinator.Process.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        Assert.Contains("--insecure", coordinator.Process.Output, StringComparison.Ordinal);
        Assert.Contains("WRN", coordinator.Process.Output, StringComparison.Ordinal);
    }
}
