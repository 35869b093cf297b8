using Microsoft.Extensions.DependencyInjection;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Transport;
using RollbackMesh.Transport.Health;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>
/// Registers what the coordinator process adds around the core (<see cref="CoordinatorCoreServiceCollectionExtensions.AddCoordinatorCore"/>):
/// the gRPC transport, the runbook catalog as the plan source, the health registry and the lifecycle hooks.
/// </summary>
internal static class CoordinatorServiceCollectionExtensions
{
    public static IServiceCollection AddCoordinator(
        this IServiceCollection services, CoordinatorHostOptions options, CoordinatorSettings settings, RunbookCatalog catalog)
    {
        services.AddGrpcTransport();
        services.AddSingleton(options);
        services.AddSingleton(settings);

        // The core registers with TryAdd, so these instances (adjusted by CoordinatorHostOptions.Configure) are the ones
        // it uses and validates on start.
        services.AddSingleton(settings.Fleet);
        services.AddSingleton(settings.Executor);
        services.AddCoordinatorCore(options.DatabasePath);

        services.AddSingleton(catalog);
        services.AddSingleton<RunbookPlanner>();
        services.AddSingleton<IPlanSource, CatalogPlanSource>();
        services.AddSingleton<HealthStatusRegistry>();
        services.AddHostedService<CoordinatorLifecycle>();
        return services;
    }
}
