using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RollbackMesh.Transport;
using RollbackMesh.V1;

namespace RollbackMesh.Coordinator.Security;

/// <summary>Maps AgentHub.Enroll.</summary>
internal static class SecurityEndpointExtensions
{
    /// <summary>Maps AgentHub.Enroll to <see cref="EnrollmentHandler"/>.</summary>
    public static GrpcServiceEndpoints MapEnrollment(this IEndpointRouteBuilder endpoints)
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<EnrollmentHandler>();
        return endpoints.MapGrpcService().Unary(AgentHubMethods.Enroll, handler.EnrollAsync);
    }

    /// <summary>Maps AgentHub.Enroll when the security services are registered; otherwise Enroll stays UNIMPLEMENTED.</summary>
    public static IEndpointRouteBuilder MapEnrollmentIfEnabled(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<EnrollmentHandler>() is not null)
        {
            endpoints.MapEnrollment();
        }

        return endpoints;
    }
}
