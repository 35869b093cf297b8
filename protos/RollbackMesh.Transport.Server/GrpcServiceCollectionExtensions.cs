using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RollbackMesh.Transport.Internal;

namespace RollbackMesh.Transport;

/// <summary>Registers the gRPC server transport.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>Adds the services <see cref="GrpcEndpointRouteBuilderExtensions.MapGrpcService"/> needs.</summary>
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.AddOptions<GrpcServerOptions>()
            .Validate(o => o.MaxReceiveMessageSize > 0 && o.MaxSendMessageSize > 0, "Message size limits must be positive.")
            .ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrpcTransportMarker>();
        return services;
    }
}
