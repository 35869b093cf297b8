using System.CommandLine;
using System.Diagnostics;

namespace RollbackMesh.Cli.Demo;

/// <summary>
/// `rollbackmesh demo [--state DIR] [--keep]`: starts rollbackmesh-demo (coordinator/RollbackMesh.Demo) from beside this
/// CLI with those options and returns its exit code. The demo is not part of the operator package; where it is absent the
/// command says how to run it from a source checkout (exit 2).
/// </summary>
internal static class DemoCommand
{
    /// <summary>The demo program's file name, without .dll.</summary>
    public const string Program = "rollbackmesh-demo";

    /// <summary>How to run the demo from a source checkout (README's first command).</summary>
    public const string FromSource = "dotnet run --project coordinator/RollbackMesh.Demo -c Release";

    public static Command Create()
    {
        var state = new Option<string?>("--state") { Description = "State directory (default: a new /var/tmp/rollbackmesh-demo-TIME)." };
        var keep = new Option<bool>("--keep") { Description = "Keep the coordinator and agents running after a successful run, until Ctrl+C." };
        var command = new Command("demo", $"Run a K3s rollback end to end on a local sandbox fleet (simulated nodes) with {Program} beside this CLI.") { state, keep };
        command.SetAction(async (result, ct) =>
        {
            var start = StartInfo(AppContext.BaseDirectory);
            if (start is null)
            {
                await Console.Error.WriteLineAsync(
                    $"rollbackmesh: the demo is not installed with this CLI ({Program} is not in {AppContext.BaseDirectory}); "
                    + $"run it from a source checkout: {FromSource}").ConfigureAwait(false);
                return CliExitCodes.BadInput;
            }

            if (result.GetValue(state) is { } directory)
            {
                start.ArgumentList.Add("--state");
                start.ArgumentList.Add(directory);
            }

            if (result.GetValue(keep))
            {
                start.ArgumentList.Add("--keep");
            }

            if (result.GetValue(Connection.GlobalOptions.Json))
            {
                start.ArgumentList.Add("--json");
            }

            using var demo = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
            try
            {
                await demo.WaitForExitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C reached the demo too (same process group): let it stop its fleet and report.
                await demo.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return demo.ExitCode;
        });
        return command;
    }

    /// <summary>How to start the demo found in <paramref name="directory"/> (apphost, else its .dll on the dotnet host), or null.</summary>
    internal static ProcessStartInfo? StartInfo(string directory)
    {
        var apphost = Path.Combine(directory, Program);
        if (File.Exists(apphost))
        {
            return new ProcessStartInfo(apphost) { UseShellExecute = false };
        }

        var dll = Path.Combine(directory, Program + ".dll");
        if (!File.Exists(dll))
        {
            return null;
        }

        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var start = new ProcessStartInfo(string.IsNullOrEmpty(host) ? "dotnet" : host) { UseShellExecute = false };
        start.ArgumentList.Add(dll);
        return start;
    }
}
