using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// The hooks the endpoints call. They do nothing on a plaintext (--insecure) coordinator or one without the security
/// services, so the endpoints' own checks stay the fallback.
/// </summary>
internal static class EndpointSecurity
{
    /// <summary>
    /// Before AgentHub.Connect accepts a Hello: the caller must hold a valid, unrevoked node certificate of this CA and
    /// say Hello only as that node (else UNAUTHENTICATED, or PERMISSION_DENIED and an audit entry).
    /// </summary>
    public static async Task AuthorizeHelloAsync(V1.Hello hello, ServerCallContext context)
    {
        if (Authorizer(context) is not { } authorizer || string.IsNullOrEmpty(hello.NodeName))
        {
            return;
        }

        var node = authorizer.RequireNode(context);
        await authorizer.AuthorizeHelloAsync(node, hello, context).ConfigureAwait(false);
    }

    /// <summary>
    /// The calling operator's name from a valid, unrevoked operator certificate (a node certificate gets
    /// PERMISSION_DENIED); null when the security services are not active for this call.
    /// </summary>
    public static string? OperatorName(ServerCallContext context) => Authorizer(context)?.RequireOperator(context).Name;

    private static PeerAuthorizer? Authorizer(ServerCallContext context) =>
        context.GetHttpContext() is { Request.IsHttps: true } http ? http.RequestServices.GetService<PeerAuthorizer>() : null;
}
