using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.AspNetCore.Server;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Hosting;

namespace RollbackMesh.Coordinator.Tests.Hosting;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 set up the coordinator's way (<see cref="GrpcServiceCollectionExtensions.AddCoordinatorGrpc"/>,
/// <see cref="GrpcKestrelExtensions"/>), serving the interop TestService and grpc.health.v1.
/// </summary>
internal sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, GrpcTestService service, CapturedLogs logs)
    {
        _app = app;
        Service = service;
        Logs = logs;
        Address = new Uri(app.Urls.Single());
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    public GrpcTestService Service { get; }

    public CapturedLogs Logs { get; }

    public static async Task<GrpcTestServer> StartAsync(
        X509Certificate2? certificate = null,
        ClientCertificateMode clientCertificateMode = ClientCertificateMode.NoCertificate,
        Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? validateClientCertificate = null,
        Action<KestrelServerOptions>? kestrel = null,
        Action<GrpcServiceOptions>? grpc = null,
        Action<IEndpointRouteBuilder>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddCoordinatorGrpc(grpc);
        var service = new GrpcTestService();
        builder.Services.AddSingleton(service);
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0, listen => listen.ConfigureGrpcListener(certificate, clientCertificateMode, validateClientCertificate));
            kestrel?.Invoke(options);
        });
        var app = builder.Build();
        app.MapGrpcService<GrpcTestService>();
        app.MapGrpcService<HealthServiceImpl>();
        map?.Invoke(app);
        await app.StartAsync();
        return new GrpcTestServer(app, service, logs);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
