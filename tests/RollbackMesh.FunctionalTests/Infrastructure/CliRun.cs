using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>One finished run of the real <c>rollbackmesh</c> CLI.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs <c>dotnet rollbackmesh.dll args</c> to completion (60 s at most) and logs what it printed.</summary>
    public static async Task<CliRun> RunAsync(ITestOutputHelper log, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(BuiltExecutables.Cli);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rollbackmesh {string.Join(' ', args)} did not finish within 60 s.");
        }

        var run = new CliRun(process.ExitCode, await stdout, await stderr);
        log.WriteLine($"$ rollbackmesh {string.Join(' ', args)}  (exit {run.ExitCode})\n{run.Stdout}{run.Stderr}");
        return run;
    }
}
