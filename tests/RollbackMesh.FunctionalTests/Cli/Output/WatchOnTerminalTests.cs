using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using RollbackMesh.Demo;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Cli.Output;

/// <summary>
/// The real CLI's `watch` on a real pseudo-terminal (util-linux `script` gives it one) against a real coordinator and
/// agent processes: a terminal gets the live view (phase table with counts and words), while the same watch with its
/// output redirected prints plain transition lines and no redraw sequences (issue 14 item 5).
/// </summary>
public sealed partial class WatchOnTerminalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Watch_OnATerminal_ShowsTheLiveViewAndRedirectedPrintsPlainLines()
    {
        using var state = new StateDirectory("rm-watch-tty-");
        await using var host = await SandboxFleetHost.StartAsync(state.Path, 1, 1, output.WriteLine, CancellationToken.None);
        await host.WaitForAgentsAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        var run = await FleetRunDriver.StartAsync(host, "noop", new Dictionary<string, string> { ["sleep_ms"] = "3000" }, CancellationToken.None);
        string[] watch = [BuiltExecutables.Cli, "--coordinator", host.Coordinator.ToString(), "--insecure", "watch", run.RunId];

        // Both follow the same run from its start, one on a terminal, one redirected.
        var onTerminal = RunAsync("script", ["-qfec", "stty cols 120 rows 40; dotnet " + string.Join(' ', watch), "/dev/null"]);
        var redirected = RunAsync("dotnet", watch);
        var (terminalExit, terminal) = await onTerminal;
        var (plainExit, plain) = await redirected;
        output.WriteLine("--- on a terminal (escape sequences removed) ---\n" + Visible(terminal));
        output.WriteLine("--- redirected ---\n" + plain);

        Assert.Equal(0, terminalExit);
        Assert.Contains("\u001b[", terminal, StringComparison.Ordinal); // redrawn in place
        var shown = Visible(terminal);
        Assert.Contains("Phase", shown, StringComparison.Ordinal);
        Assert.Matches(@"first-server\s+1\s+#+\s*100%\s+1 done\s+0 running\s+0 waiting\s+0 failed", shown);
        Assert.Matches(@"agents\s+1\s+#+\s*100%\s+1 done\s+0 running\s+0 waiting\s+0 failed", shown);
        Assert.Matches(@"Run run-\S+ \(noop, plan \S+\): succeeded", shown);
        Assert.DoesNotContain("== phase", shown, StringComparison.Ordinal);

        Assert.Equal(0, plainExit);
        Assert.DoesNotContain("\u001b[", plain, StringComparison.Ordinal);
        Assert.Contains("== phase", plain, StringComparison.Ordinal);
        Assert.Matches(@"Run run-\S+ \(noop, plan \S+\): succeeded, .*, cluster demo", plain); // the header names the cluster
        state.Passed = true;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The text a reader sees: escape sequences and carriage returns removed.</summary>
    private static string Visible(string raw) => Escapes().Replace(raw, "").Replace("\r", "", StringComparison.Ordinal);

    [GeneratedRegex(@"\u001b(\[[0-9;?]*[ -/]*[@-~]|\][^\u0007]*\u0007|[()][0-9A-B]|[=>78])")]
    private static partial Regex Escapes();
}
