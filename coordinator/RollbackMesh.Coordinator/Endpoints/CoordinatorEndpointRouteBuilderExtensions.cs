using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace RollbackMesh.Coordinator.Endpoints;

/// <summary>Maps every gRPC service the coordinator serves.</summary>
internal static class CoordinatorEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapCoordinatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<HealthServiceImpl>();
        endpoints.MapGrpcService<AgentHubEndpoint>(); // Connect, and Enroll when the security services are registered
        endpoints.MapGrpcService<OperatorEndpoints>();
        return endpoints;
    }
}
