using System.CommandLine;
using RollbackMesh.Cli.Commands;

namespace RollbackMesh.Cli.Ui;

/// <summary>
/// `rollbackmesh ui [--listen 127.0.0.1:8080]`: a web dashboard on loopback whose every call to the coordinator goes over
/// this CLI's connection (the operator's certificate), so the coordinator needs no listener or login of its own.
/// </summary>
internal static class UiCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen")
        {
            Description = $"Loopback address for the dashboard, host:port (port 0: any free port). Default {UiListenAddress.Default}.",
            DefaultValueFactory = _ => UiListenAddress.Default,
        };
        var command = new Command("ui", "Serve the web dashboard (fleet, live runs, history, plan review) on loopback until interrupted.") { listen };
        CommandRunner.SetAction(command, context =>
        {
            var endpoint = UiListenAddress.Parse(context.Result.GetValue(listen)!);
            return DashboardServer.RunAsync(context, endpoint);
        });
        return command;
    }
}
