using RollbackMesh.Cli;

// rollbackmesh-demo [--state DIR] [--keep] [--json]: the demo fleet (DemoCommand). Not part of the operator package.
var parsed = RollbackMesh.Demo.DemoCommand.Create().Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync("rollbackmesh-demo: " + error.Message);
    }

    await Console.Error.WriteLineAsync("Run 'rollbackmesh-demo --help' for usage.");
    return CliExitCodes.BadInput;
}

return await parsed.InvokeAsync();
