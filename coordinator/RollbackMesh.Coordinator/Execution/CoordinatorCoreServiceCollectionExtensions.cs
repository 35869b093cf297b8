using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Metrics;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Storage;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>Registers the coordinator's core in one call.</summary>
internal static class CoordinatorCoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store (SQLite at <paramref name="databasePath"/>, its directory created on first use), fleet
    /// registry, the runs' inboxes the agent session hub posts to, the hub (also as <see cref="IAgentLink"/>), run executor, audit log, operator service and
    /// metrics (<see cref="MetricsServiceCollectionExtensions.AddCoordinatorMetrics"/>) as singletons, <see cref="FleetOptions"/> and <see cref="ExecutorOptions"/> (defaults documented on each property,
    /// adjusted by the callbacks, validated on start), <see cref="TimeProvider.System"/> unless one is registered, and
    /// <see cref="CoordinatorCoreStartup"/>, which resumes unfinished runs on start. Every registration is a TryAdd,
    /// so a host that already registered a part keeps its own. The host supplies <see cref="IPlanSource"/>.
    /// </summary>
    public static IServiceCollection AddCoordinatorCore(
        this IServiceCollection services,
        string databasePath,
        Action<FleetOptions>? configureFleet = null,
        Action<ExecutorOptions>? configureExecutor = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<FleetOptions>().Configure(o => configureFleet?.Invoke(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FleetOptions>, FleetOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<FleetOptions>>().Value);
        services.AddOptions<ExecutorOptions>().Configure(o => configureExecutor?.Invoke(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExecutorOptions>, ExecutorOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<ExecutorOptions>>().Value);

        services.TryAddSingleton(_ =>
        {
            if (Path.GetDirectoryName(Path.GetFullPath(databasePath)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            return CoordinatorStore.Open(databasePath);
        });
        services.TryAddSingleton(sp => new FleetRegistry(
            sp.GetRequiredService<FleetOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<CoordinatorStore>()));
        services.AddCoordinatorMetrics(); // counted always; served by `serve --metrics-listen` only
        services.TryAddSingleton<RunInboxes>();
        services.TryAddSingleton<AgentSessionHub>();
        services.TryAddSingleton<IAgentLink>(sp => sp.GetRequiredService<AgentSessionHub>());
        services.TryAddSingleton<RunExecutor>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<OperatorService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CoordinatorCoreStartup>());
        return services;
    }
}
