using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RollbackMesh.Transport.Health;

namespace RollbackMesh.Coordinator.Endpoints;

/// <summary>Maps every gRPC service the coordinator serves.</summary>
internal static class CoordinatorEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapCoordinatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcHealthService(endpoints.ServiceProvider.GetRequiredService<HealthStatusRegistry>());
        endpoints.MapAgentHub();
        endpoints.MapOperatorService();
        Security.SecurityEndpointExtensions.MapEnrollmentIfEnabled(endpoints); // security: AgentHub.Enroll
        return endpoints;
    }
}
