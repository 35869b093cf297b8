using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace RollbackMesh.Coordinator.Metrics;

/// <summary>
/// <c>serve --metrics-listen ADDR:PORT</c>: GET /metrics in the Prometheus text format, plaintext HTTP/1.1, on a Kestrel
/// server of its own. It shares nothing with the gRPC listener: no gRPC service, TLS setting or client certificate
/// rule of that port applies here, and nothing but /metrics is served (any other path is 404). Started and stopped
/// with the coordinator's host; logs through the coordinator's logger factory.
/// </summary>
internal sealed partial class MetricsServer(CoordinatorMetrics metrics, IPEndPoint listen, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    /// <summary>Scrapers are few; a handful of connections is plenty and bounds what an open port can cost.</summary>
    private const int MaxConnections = 64;

    private WebApplication? _app;

    /// <summary>The scrape URL once started (port 0 resolved), e.g. http://127.0.0.1:9464/metrics.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(MetricsServer).Assembly.GetName().Name,
        });
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = MaxConnections;
            kestrel.Listen(listen, options => options.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        _app = app;
        app.MapMetrics(Path, metrics.Registry);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // Kestrel's message names only an address; say which of the coordinator's two listeners it was.
            throw new IOException($"--metrics-listen {listen}: {ex.Message}", ex);
        }

        Address = new Uri(new Uri(app.Urls.First()), Path);
        Log.Serving(loggerFactory.CreateLogger<MetricsServer>(), Address);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Serving Prometheus metrics on {Address} (plaintext HTTP, its own listener)")]
        public static partial void Serving(ILogger logger, Uri address);
    }

    /// <summary>SIGTERM and Ctrl+C belong to the coordinator's host, which stops this server; this host waits for nothing.</summary>
    private sealed class OwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
