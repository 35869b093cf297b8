using System.CommandLine;
using System.Globalization;
using RollbackMesh.Cli;
using RollbackMesh.Cli.Connection;
using RollbackMesh.Cli.Output;

namespace RollbackMesh.Demo;

/// <summary>
/// `rollbackmesh-demo [--state DIR] [--keep] [--json]`: runs the K3s embedded-etcd rollback as a campaign over three sandbox clusters
/// with the real coordinator and agent processes. Exit 0 when the campaign succeeded, 1 when it did not, 2 when something
/// the demo needs is missing (the message says what). `rollbackmesh demo` starts this program when it is beside the CLI.
/// </summary>
internal static class DemoCommand
{
    public static RootCommand Create()
    {
        var state = new Option<string?>("--state") { Description = "State directory (default: a new /var/tmp/rollbackmesh-demo-TIME)." };
        var keep = new Option<bool>("--keep") { Description = "Keep the coordinator and agents running after a successful run, until Ctrl+C." };
        var command = new RootCommand("rollbackmesh-demo: a K3s rollback end to end on a local sandbox fleet (simulated nodes).")
        {
            state, keep, GlobalOptions.Json,
        };
        command.SetAction(async (result, ct) =>
        {
            var output = new CliOutput(result.GetValue(GlobalOptions.Json));
            var directory = result.GetValue(state)
                ?? Path.Combine("/var/tmp", "rollbackmesh-demo-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            try
            {
                return await new DemoRunner(output, result).RunAsync(directory, result.GetValue(keep), ct).ConfigureAwait(false);
            }
            catch (DemoPrerequisiteException ex)
            {
                output.Error(ex.Message);
                return CliExitCodes.BadInput;
            }
            catch (TimeoutException ex)
            {
                output.Error(ex.Message);
                return CliExitCodes.Failed;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                output.Error("interrupted; state kept in " + Path.GetFullPath(directory));
                return CliExitCodes.Failed;
            }
        });
        return command;
    }
}
