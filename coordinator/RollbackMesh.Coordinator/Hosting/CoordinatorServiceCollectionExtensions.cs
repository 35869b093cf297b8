using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Coordinator.Storage;
using RollbackMesh.Protos.Health;
using RollbackMesh.Transport;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>Registers the coordinator's parts: store, registry, agent hub, executor, audit, runbooks, operator API, health.</summary>
internal static class CoordinatorServiceCollectionExtensions
{
    public static IServiceCollection AddCoordinator(
        this IServiceCollection services, CoordinatorHostOptions options, CoordinatorSettings settings, RunbookCatalog catalog)
    {
        services.AddGrpcTransport();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(settings);
        services.AddSingleton(settings.Fleet);
        services.AddSingleton(settings.Executor);
        services.AddSingleton(catalog);
        services.AddSingleton(_ =>
        {
            Directory.CreateDirectory(options.DataDirectory);
            return CoordinatorStore.Open(options.DatabasePath);
        });
        services.AddSingleton(sp => new FleetRegistry(
            sp.GetRequiredService<FleetOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<CoordinatorStore>()));
        services.AddSingleton<AgentSessionHub>();
        services.AddSingleton<IAgentLink>(sp => sp.GetRequiredService<AgentSessionHub>());
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RunbookPlanner>();
        services.AddSingleton<IPlanSource, CatalogPlanSource>();
        services.AddSingleton<OperatorService>();
        services.AddSingleton<HealthStatusRegistry>();
        services.AddHostedService<CoordinatorLifecycle>();
        return services;
    }
}
