using RollbackMesh.Cli;
using RollbackMesh.Demo.Sandbox;

// rollbackmesh-demo [--state DIR] [--keep] [--json]: the demo fleet (DemoCommand). Not part of the operator package.
// rollbackmesh-demo sandbox-agent --root DIR --config FILE: one simulated node's agent, started by the demo itself
// (SandboxAgent); it is the agent's own host, so its SIGTERM handling is not System.CommandLine's.
if (args is [SandboxAgent.Command, .. var agentArgs])
{
    return await SandboxAgent.RunAsync(agentArgs);
}

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
