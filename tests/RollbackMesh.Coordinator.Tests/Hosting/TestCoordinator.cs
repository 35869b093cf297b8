using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Coordinator.Runbooks;
using Grpc.Net.Client;
using RollbackMesh.Protos.Channels;

namespace RollbackMesh.Coordinator.Tests.Hosting;

/// <summary>
/// The real coordinator application on Kestrel at 127.0.0.1:0 with a temporary data directory, plus a channel to it.
/// Log lines are kept (<see cref="Logs"/>) so a failing test can show them.
/// </summary>
internal sealed class TestCoordinator : IAsyncDisposable
{
    private readonly string _directory;

    private TestCoordinator(WebApplication app, string directory, Uri address, CapturedLogs logs)
    {
        App = app;
        _directory = directory;
        Address = address;
        Logs = logs;
        Channel = RollbackMeshChannel.Create(address);
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public CapturedLogs Logs { get; }

    public T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>
    /// Starts an insecure coordinator; <paramref name="configure"/> may shorten its timers, and
    /// <paramref name="runbookDirectory"/> adds runbooks as `--runbooks` does, <paramref name="metricsListen"/> serves
    /// metrics as `--metrics-listen` does.
    /// </summary>
    public static async Task<TestCoordinator> StartAsync(
        Action<CoordinatorSettings>? configure = null, string? runbookDirectory = null, IPEndPoint? metricsListen = null)
    {
        var directory = Directory.CreateTempSubdirectory("rollbackmesh-coord-").FullName;
        var options = new CoordinatorHostOptions(new IPEndPoint(IPAddress.Loopback, 0), directory, Tls: null, Insecure: true, runbookDirectory is null ? [] : [runbookDirectory])
        {
            Configure = settings =>
            {
                // Open streams (health Watch, agents) hold shutdown until this passes.
                settings.ShutdownTimeout = TimeSpan.FromSeconds(2);
                configure?.Invoke(settings);
            },
            MetricsListen = metricsListen,
        };
        var logs = new CapturedLogs();
        var app = CoordinatorApp.Build(options, RunbookCatalog.Load(runbookDirectory, options.RunbookLimits), logging => logging.AddProvider(logs));
        await app.StartAsync();
        return new TestCoordinator(app, directory, CoordinatorApp.BoundAddress(app), logs);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
