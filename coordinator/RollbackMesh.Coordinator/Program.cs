using System.CommandLine;
using RollbackMesh.Coordinator.Commands;

// rollbackmesh-coordinator serve ...: see Commands/ServeCommand.cs. The host handles SIGTERM itself (clean shutdown,
// exit 0), so System.CommandLine's own termination handling is turned off.
var root = new RootCommand("RollbackMesh coordinator: sequences rollback runbooks across the fleet's agents.")
{
    ServeCommand.Create(),
};
foreach (var command in RollbackMesh.Coordinator.Security.SecurityCommands.All()) // security: init, token, operator, node
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
