using System.CommandLine;
using RollbackMesh.Cli.Commands;
using RollbackMesh.Cli.Connection;

// rollbackmesh --coordinator URL [--json] [--insecure] [--ca F --cert F --key F] <command>
// Exit codes: 0 success, 1 the operation or run failed, 2 bad input, 3 coordinator unreachable, 4 not allowed
// (a certificate or identity refused) (CliExitCodes).
var root = new RootCommand("rollbackmesh: plan, apply and follow fleet rollbacks through the RollbackMesh coordinator.")
{
    NodesCommand.Create(),
    RunbooksCommand.Create(),
    PlanCommand.Create(),
    ApplyCommand.Create(),
    RunCommands.Status(),
    RunCommands.Watch(),
    RunCommands.Pause(),
    RunCommands.Resume(),
    RunCommands.Abort(),
    RunCommands.Approve(),
    RunCommands.Retry(),
    HistoryCommand.Create(),
    RunsCommand.Create(),
    CampaignCommands.Create(),
    RollbackMesh.Cli.Ui.UiCommand.Create(),
    RollbackMesh.Cli.Demo.DemoCommand.Create(),
};
foreach (var option in GlobalOptions.All)
{
    root.Options.Add(option);
}

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync("rollbackmesh: " + error.Message);
    }

    await Console.Error.WriteLineAsync("Run 'rollbackmesh --help' for usage.");
    return RollbackMesh.Cli.CliExitCodes.BadInput;
}

return await parsed.InvokeAsync();
