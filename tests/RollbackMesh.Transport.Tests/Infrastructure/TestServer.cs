using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackMesh.Transport.Health;

namespace RollbackMesh.Transport.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1:0 hosting the C# TestService and the health service.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, TestServiceImpl service, HealthStatusRegistry health, CollectingLoggerProvider logs)
    {
        _app = app;
        Service = service;
        Health = health;
        Logs = logs;
        Address = new Uri(app.Urls.Single());
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    public TestServiceImpl Service { get; }

    public HealthStatusRegistry Health { get; }

    public CollectingLoggerProvider Logs { get; }

    public static async Task<TestServer> StartAsync(
        X509Certificate2? certificate = null,
        ClientCertificateMode clientCertificateMode = ClientCertificateMode.NoCertificate,
        Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? validateClientCertificate = null,
        Action<KestrelServerOptions>? kestrel = null,
        Action<GrpcServerOptions>? grpc = null,
        Action<IEndpointRouteBuilder>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var logs = new CollectingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddGrpcTransport(grpc);
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0, listen => listen.ConfigureGrpcListener(certificate, clientCertificateMode, validateClientCertificate));
            kestrel?.Invoke(options);
        });
        var app = builder.Build();
        var service = new TestServiceImpl();
        var health = new HealthStatusRegistry();
        service.Map(app);
        app.MapGrpcHealthService(health);
        map?.Invoke(app);
        await app.StartAsync();
        return new TestServer(app, service, health, logs);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
