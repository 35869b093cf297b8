using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Execution;

namespace RollbackMesh.Coordinator.Metrics;

/// <summary>Registers the metrics: always counted (cheap), served only when asked for.</summary>
internal static class MetricsServiceCollectionExtensions
{
    /// <summary><see cref="CoordinatorMetrics"/> and <see cref="StepTimings"/> as the executor's step observer (TryAdd).</summary>
    public static IServiceCollection AddCoordinatorMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton<CoordinatorMetrics>();
        services.TryAddSingleton<IStepObserver, StepTimings>();
        return services;
    }

    /// <summary>Serves the metrics on <paramref name="listen"/> (<see cref="MetricsServer"/>) while the host runs.</summary>
    public static IServiceCollection AddMetricsServer(this IServiceCollection services, IPEndPoint listen)
    {
        services.AddCoordinatorMetrics();
        services.AddSingleton(sp => new MetricsServer(sp.GetRequiredService<CoordinatorMetrics>(), listen, sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<MetricsServer>());
        return services;
    }
}
