using System.Security.Cryptography.X509Certificates;
using Grpc.Core;

namespace RollbackMesh.Coordinator.Endpoints;

/// <summary>Who is calling: the client certificate's common name under TLS, a fixed name when running insecure.</summary>
internal static class CallerIdentity
{
    /// <summary>The caller name audit entries use when the coordinator runs with --insecure.</summary>
    public const string InsecureOperator = "insecure-operator";

    /// <summary>
    /// The certificate's CN, or <see cref="InsecureOperator"/> on a plaintext connection. A TLS caller without a
    /// usable certificate (possible only when client certificates are optional) is refused with UNAUTHENTICATED.
    /// </summary>
    public static string Of(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (!http.Request.IsHttps)
        {
            return InsecureOperator;
        }

        if (Security.EndpointSecurity.OperatorName(context) is { } operatorName) // security: operator certificate required
        {
            return operatorName;
        }

        var name = http.Connection.ClientCertificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrWhiteSpace(name)
            ? throw new RpcException(new Status(StatusCode.Unauthenticated, "A client certificate with a common name is required."))
            : name;
    }
}
