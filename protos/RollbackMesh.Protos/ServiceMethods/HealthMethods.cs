using RollbackMesh.Transport;

namespace Grpc.Health.V1;

/// <summary>Method descriptors of the standard <c>grpc.health.v1.Health</c> service.</summary>
public static class HealthMethods
{
    /// <summary>The service name on the wire.</summary>
    public const string ServiceName = "grpc.health.v1.Health";

    /// <summary>Returns a service's current serving status; NOT_FOUND for an unknown service.</summary>
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> Check = new(MethodType.Unary, ServiceName, "Check");

    /// <summary>Streams a service's serving status: the current one, then every change.</summary>
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> Watch = new(MethodType.ServerStreaming, ServiceName, "Watch");
}
