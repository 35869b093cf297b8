using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Connection;

namespace RollbackMesh.Agent.Hosting;

/// <summary>
/// The agent from command line to exit code. Invalid configuration exits 78 with every problem listed; a refusal by
/// the coordinator (removed, revoked, untrusted) exits 1, which the unit does not restart; any other fatal error exits
/// 70 so systemd's Restart=on-failure brings the agent back.
/// </summary>
internal static class AgentProgram
{
    /// <summary>Runs the agent until SIGTERM.</summary>
    /// <param name="args">`[--config FILE]`.</param>
    /// <param name="addServicesFirst">
    /// Registrations made before the agent's own, which are TryAdd and so leave them in place: the seam through which
    /// another host replaces a piece (the demo's sandbox agent: coordinator/RollbackMesh.Demo/Sandbox). Null for the
    /// packaged agent.
    /// </param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Action<IServiceCollection>? addServicesFirst = null)
    {
        var commandLine = AgentCommandLine.TryParse(args, out var usageError);
        if (commandLine is null)
        {
            await Console.Error.WriteLineAsync("rollbackmesh-agent: " + usageError).ConfigureAwait(false);
            return AgentExitCodes.Usage;
        }

        using var host = AgentHostFactory.CreateBuilder(commandLine, addServicesFirst: addServicesFirst).Build();
        var failure = host.Services.GetRequiredService<AgentFailure>();
        try
        {
            // Validate before the host starts, so an invalid file produces only the one message below, not a host failure
            // with a stack trace. ValidateOnStart stays registered as the safety net.
            _ = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync(ConfigurationErrorMessage.Format(commandLine.ConfigPath, ex.Failures)).ConfigureAwait(false);
            return AgentExitCodes.Config;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The binder stops at the first value of the wrong type (e.g. insecure: maybe) before validation can run.
            await Console.Error.WriteLineAsync(ConfigurationErrorMessage.Format(commandLine.ConfigPath, [ex.Message])).ConfigureAwait(false);
            return AgentExitCodes.Config;
        }

        return failure.Error switch
        {
            null => AgentExitCodes.Success,
            AgentRefusedException => AgentExitCodes.Refused,
            _ => AgentExitCodes.Failure,
        };
    }
}
