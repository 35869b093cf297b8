using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Endpoints;
using RollbackMesh.Coordinator.Metrics;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Coordinator.Security;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>Builds the coordinator's web application: Kestrel (HTTP/2 only) on one address, the parts, the gRPC endpoints.</summary>
internal static class CoordinatorApp
{
    /// <summary>
    /// Builds (does not start) the coordinator. <paramref name="configureLogging"/> replaces the default providers
    /// (the process uses Serilog; tests leave the defaults or capture).
    /// </summary>
    public static WebApplication Build(CoordinatorHostOptions options, RunbookCatalog catalog, Action<ILoggingBuilder>? configureLogging = null)
    {
        var settings = new CoordinatorSettings();
        settings.Fleet.NodeTimeout = options.NodeTimeout;
        options.Configure?.Invoke(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(CoordinatorApp).Assembly.GetName().Name,
        });
        if (configureLogging is not null)
        {
            builder.Logging.ClearProviders();
            configureLogging(builder.Logging);
        }

        if (options.Connections.Problem() is { } problem)
        {
            throw new ArgumentException($"Connection limits: {problem}.", nameof(options));
        }

        var peerLimiter = new PeerConnectionLimiter(options.Connections.MaxConnectionsPerPeer);
        builder.Services.AddSingleton(peerLimiter);
        builder.Services.AddHostedService<ConnectionMemoryTrim>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Listen, listen => KestrelTls.Configure(listen, options, peerLimiter));
            kestrel.Limits.MaxConcurrentConnections = options.Connections.MaxConnections;
            kestrel.Limits.KeepAliveTimeout = options.Connections.IdleConnectionTimeout;
            kestrel.ConfigureGrpcKeepAlive(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20));
            kestrel.ApplySecurityLimits(new SecurityOptions()); // security: stream and header limits
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.AddCoordinator(options, settings, catalog);
        if (options.MetricsListen is { } metricsListen)
        {
            builder.Services.AddMetricsServer(metricsListen);
        }

        if (!options.Insecure)
        {
            builder.Services.AddCoordinatorSecurityIfInitialized(options.DataDirectory); // security: CA, enrollment, identities
        }

        var app = builder.Build();
        app.MapCoordinatorEndpoints();

        // Every refused runbook file is named with every problem it has, so an operator sees why a runbook is missing.
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RollbackMesh.Coordinator");
        CoordinatorLog.RunbooksLoaded(logger, catalog.All.Count());
        foreach (var refusal in catalog.Refused)
        {
            CoordinatorLog.RunbookRefused(logger, refusal.ToString());
        }

        return app;
    }

    /// <summary>The address the started application is bound to (port 0 resolved), e.g. http://127.0.0.1:43121.</summary>
    public static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The server has not started.");
        return new Uri(address);
    }
}
