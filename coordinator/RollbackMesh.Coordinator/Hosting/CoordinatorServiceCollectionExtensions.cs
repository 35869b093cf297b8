using Microsoft.Extensions.DependencyInjection;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>
/// Registers what the coordinator process adds around the core (<see cref="CoordinatorCoreServiceCollectionExtensions.AddCoordinatorCore"/>):
/// gRPC (Grpc.AspNetCore), the runbook catalog as the plan source, the grpc.health.v1 service and the lifecycle hooks.
/// </summary>
internal static class CoordinatorServiceCollectionExtensions
{
    public static IServiceCollection AddCoordinator(
        this IServiceCollection services, CoordinatorHostOptions options, CoordinatorSettings settings, RunbookCatalog catalog)
    {
        services.AddCoordinatorGrpc();
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
        services.AddHostedService<CoordinatorLifecycle>();
        return services;
    }
}
