using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RollbackMesh.Transport.Internal;

namespace RollbackMesh.Transport;

/// <summary>Maps gRPC services onto ASP.NET Core routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    private const string LoggerCategory = "RollbackMesh.Transport.Server";

    /// <summary>Builders that already have the UNIMPLEMENTED fallback, so it is added once.</summary>
    private static readonly ConditionalWeakTable<IEndpointRouteBuilder, object> FallbackMapped = [];

    /// <summary>Starts mapping methods; also maps the UNIMPLEMENTED fallback once per builder.</summary>
    /// <exception cref="InvalidOperationException"><see cref="GrpcServiceCollectionExtensions.AddGrpcTransport"/> was not called.</exception>
    public static GrpcServiceEndpoints MapGrpcService(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<GrpcTransportMarker>() is null)
        {
            throw new InvalidOperationException("Call services.AddGrpcTransport() before mapping gRPC services.");
        }

        endpoints.MapGrpcFallback();
        return new GrpcServiceEndpoints(
            endpoints,
            services.GetRequiredService<IOptions<GrpcServerOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory));
    }

    /// <summary>
    /// Answers any other gRPC-shaped POST (<c>/service/method</c>) with UNIMPLEMENTED; the lowest route order, so every
    /// mapped endpoint wins. Idempotent.
    /// </summary>
    public static IEndpointRouteBuilder MapGrpcFallback(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (FallbackMapped.TryGetValue(endpoints, out _))
        {
            return endpoints;
        }

        FallbackMapped.Add(endpoints, new object());
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
        endpoints.MapPost("/{service}/{method}", (HttpContext httpContext) =>
            {
                if (!GrpcRequestValidator.TryReject(httpContext))
                {
                    GrpcServerLog.Unimplemented(logger, httpContext.Request.Path);
                    GrpcRequestValidator.Reject(httpContext, StatusCodes.Status200OK, StatusCode.Unimplemented,
                        $"Method '{httpContext.Request.Path}' is not implemented by this server.");
                }

                return Task.CompletedTask;
            })
            .WithDisplayName("gRPC unimplemented fallback")
            .Add(builder => ((RouteEndpointBuilder)builder).Order = int.MaxValue);
        return endpoints;
    }
}
