using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Grpc.HealthCheck;
using RollbackMesh.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>
/// Warns about --insecure at every start, marks the services SERVING (the core's own start-up has attached the
/// executor and resumed unfinished runs), and marks them NOT_SERVING as soon as shutdown begins, so health checkers
/// stop routing before the streams are cut.
/// </summary>
internal sealed class CoordinatorLifecycle(
    HealthServiceImpl health,
    CoordinatorHostOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<CoordinatorLifecycle> logger) : IHostedService
{
    /// <summary>The services the health endpoint reports, besides the whole server ("").</summary>
    public static readonly string[] Services = [AgentHub.Descriptor.FullName, Operator.Descriptor.FullName];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Insecure)
        {
            CoordinatorLog.InsecureMode(logger);
        }

        foreach (var service in Services)
        {
            health.SetStatus(service, ServingStatus.Serving);
        }

        lifetime.ApplicationStopping.Register(() =>
        {
            health.SetStatus("", ServingStatus.NotServing);
            foreach (var service in Services)
            {
                health.SetStatus(service, ServingStatus.NotServing);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
