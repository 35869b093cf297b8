using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Hosting;

// rollbackmesh-agent [--config FILE]: runs until SIGTERM (exit 0). Invalid configuration exits 78 with every
// problem listed; a refusal by the coordinator (removed, revoked, untrusted) exits 1, which the unit does not restart;
// any other fatal error exits 70 so systemd's Restart=on-failure brings the agent back.
var commandLine = AgentCommandLine.TryParse(args, out var usageError);
if (commandLine is null)
{
    await Console.Error.WriteLineAsync("rollbackmesh-agent: " + usageError);
    return AgentExitCodes.Usage;
}

using var host = AgentHostFactory.CreateBuilder(commandLine).Build();
var failure = host.Services.GetRequiredService<AgentFailure>();
try
{
    // Validate before the host starts, so an invalid file produces only the one message below, not a host failure
    // with a stack trace. ValidateOnStart stays registered as the safety net.
    _ = host.Services.GetRequiredService<IOptions<RollbackMesh.Agent.Configuration.AgentOptions>>().Value;
    await host.RunAsync();
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync(ConfigurationErrorMessage.Format(commandLine.ConfigPath, ex.Failures));
    return AgentExitCodes.Config;
}
catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    // The binder stops at the first value of the wrong type (e.g. insecure: maybe) before validation can run.
    await Console.Error.WriteLineAsync(ConfigurationErrorMessage.Format(commandLine.ConfigPath, [ex.Message]));
    return AgentExitCodes.Config;
}

return failure.Error switch
{
    null => AgentExitCodes.Success,
    RollbackMesh.Agent.Connection.AgentRefusedException => AgentExitCodes.Refused,
    _ => AgentExitCodes.Failure,
};
