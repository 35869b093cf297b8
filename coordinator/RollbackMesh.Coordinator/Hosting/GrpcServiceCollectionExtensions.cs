using Grpc.AspNetCore.Server;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection;
using RollbackMesh.Protos.Channels;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>Registers Grpc.AspNetCore with the coordinator's settings.</summary>
internal static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds gRPC services with 4 MiB limits both ways (a larger message fails its call with RESOURCE_EXHAUSTED, the
    /// connection keeps serving) and no exception details sent to callers (they are logged), and the grpc.health.v1
    /// service's state. <paramref name="configure"/> runs last (tests raise a limit).
    /// </summary>
    public static IServiceCollection AddCoordinatorGrpc(this IServiceCollection services, Action<GrpcServiceOptions>? configure = null)
    {
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = ChannelSettings.DefaultMaxMessageSize;
            grpc.MaxSendMessageSize = ChannelSettings.DefaultMaxMessageSize;
            grpc.EnableDetailedErrors = false;
            configure?.Invoke(grpc);
        });

        // One instance serves grpc.health.v1 (MapGrpcService<HealthServiceImpl>) and takes CoordinatorLifecycle's
        // updates. The whole server ("") answers SERVING from the start; a service is NOT_FOUND until it is set.
        services.AddSingleton(_ =>
        {
            var health = new HealthServiceImpl();
            health.SetStatus("", Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving);
            return health;
        });
        return services;
    }
}
