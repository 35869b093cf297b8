using Grpc.Health.V1;
using Microsoft.AspNetCore.Routing;

namespace RollbackMesh.Transport.Health;

/// <summary>Hosts the standard grpc.health.v1.Health service over <see cref="HealthStatusRegistry"/>.</summary>
public static class HealthServiceEndpointRouteBuilderExtensions
{
    /// <summary>Maps Check (unknown service → NOT_FOUND) and Watch (current status, then every change).</summary>
    public static GrpcServiceEndpoints MapGrpcHealthService(this IEndpointRouteBuilder endpoints, HealthStatusRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(registry);
        return endpoints.MapGrpcService()
            .Unary(HealthMethods.Check, (request, _) => Task.FromResult(Check(registry, request)))
            .ServerStreaming(HealthMethods.Watch, (request, stream, context) => WatchAsync(registry, request, stream, context));
    }

    private static HealthCheckResponse Check(HealthStatusRegistry registry, HealthCheckRequest request) =>
        registry.TryGetStatus(request.Service, out var status)
            ? new HealthCheckResponse { Status = status }
            : throw new RpcException(new Status(StatusCode.NotFound, $"Service '{request.Service}' is unknown."));

    private static async Task WatchAsync(
        HealthStatusRegistry registry, HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> stream, ServerCallContext context)
    {
        using var watcher = registry.Watch(request.Service);
        await foreach (var status in watcher.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            await stream.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
