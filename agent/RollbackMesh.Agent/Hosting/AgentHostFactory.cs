using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Logging;

namespace RollbackMesh.Agent.Hosting;

/// <summary>
/// Builds the agent's generic host. The defaults of Host.CreateApplicationBuilder are off on purpose: they would add
/// every environment variable and appsettings.json to the configuration; the agent reads only its YAML file and
/// ROLLBACKMESH_AGENT__* overrides.
/// </summary>
internal static class AgentHostFactory
{
    /// <summary>The environment variable prefix: ROLLBACKMESH_AGENT__COORDINATOR__ADDRESS sets coordinator.address.</summary>
    public const string EnvironmentPrefix = "ROLLBACKMESH_";

    /// <summary>Creates the host builder with configuration, logging and every agent service registered.</summary>
    /// <param name="commandLine">The parsed command line.</param>
    /// <param name="environment">Environment variables to read overrides from; null means the process environment.</param>
    /// <param name="addServicesFirst">Registrations made before the agent's TryAdd ones, which then leave them in place
    /// (<see cref="AgentProgram.RunAsync"/>).</param>
    public static HostApplicationBuilder CreateBuilder(AgentCommandLine commandLine, IDictionary<string, string?>? environment = null,
        Action<IServiceCollection>? addServicesFirst = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "rollbackmesh-agent",
            ContentRootPath = AppContext.BaseDirectory,
        });

        var file = YamlConfigurationLoader.Load(commandLine.ConfigPath);
        builder.Configuration.AddInMemoryCollection(file.Values);
        if (environment is null)
        {
            builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        }
        else
        {
            builder.Configuration.AddInMemoryCollection(EnvironmentOverrides(environment));
        }

        builder.Services.AddSingleton(file);
        builder.Services.AddSingleton<IValidateOptions<AgentOptions>>(new AgentOptionsValidator(file));
        builder.Services.AddOptions<AgentOptions>().Bind(builder.Configuration.GetSection(AgentOptions.SectionName)).ValidateOnStart();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        // Logging is needed before the options are validated, so it reads the log settings leniently here.
        var logOptions = TryBind(builder.Configuration) ?? new AgentOptions();
        AgentLogging.Configure(builder.Services, AgentLogging.CreateLogger(logOptions, AgentLogging.IsUnderJournal()));

        // Under systemd (parent process systemd): its lifetime sends READY=1 once started and STOPPING=1 on SIGTERM.
        // Elsewhere it registers nothing and the console lifetime stays.
        builder.Services.AddSystemd();

        addServicesFirst?.Invoke(builder.Services);
        builder.Services.AddAgentServices();
        return builder;
    }

    /// <summary>Environment variables with the prefix, as configuration keys (the same mapping AddEnvironmentVariables does).</summary>
    internal static IEnumerable<KeyValuePair<string, string?>> EnvironmentOverrides(IDictionary<string, string?> environment) =>
        environment
            .Where(kv => kv.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(kv => new KeyValuePair<string, string?>(
                kv.Key[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), kv.Value));

    private static AgentOptions? TryBind(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(AgentOptions.SectionName).Get<AgentOptions>();
        }
        catch (InvalidOperationException)
        {
            return null; // reported by the options validation at start
        }
    }
}
