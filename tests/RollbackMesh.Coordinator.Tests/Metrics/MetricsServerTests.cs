using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Coordinator.Metrics;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Coordinator.Tests.Hosting;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Metrics;

/// <summary>The real coordinator (CoordinatorApp, Kestrel on loopback) with and without `--metrics-listen`.</summary>
public sealed class MetricsServerTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task MetricsListen_Set_ServesTheTextFormatOnItsOwnPortAndNothingElse()
    {
        await using var coordinator = await TestCoordinator.StartAsync(metricsListen: AnyLoopbackPort);
        var metrics = coordinator.Get<MetricsServer>().Address!;
        using var http = new HttpClient();

        using var scrape = await http.GetAsync(metrics);
        using var other = await http.GetAsync(new Uri(metrics, "/"));

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE rollbackmesh_health_reports_received_total counter", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.NotEqual(coordinator.Address.Port, metrics.Port);
        Assert.Equal(HttpVersion.Version11, scrape.Version);
    }

    [Fact]
    public async Task GrpcPort_AskedForMetrics_DoesNotServeThem()
    {
        await using var coordinator = await TestCoordinator.StartAsync(metricsListen: AnyLoopbackPort);
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.GetAsync(new Uri(coordinator.Address, MetricsServer.Path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("rollbackmesh_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsListen_PortTaken_StartFailsNamingTheOption()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var directory = Directory.CreateTempSubdirectory("rollbackmesh-metrics-").FullName;
        try
        {
            var options = new CoordinatorHostOptions(AnyLoopbackPort, directory, Tls: null, Insecure: true, RunbookDirectories: [])
            {
                MetricsListen = (IPEndPoint)taken.LocalEndpoint,
            };
            await using var app = CoordinatorApp.Build(options, RunbookCatalog.Load(options.RunbookDirectories, options.RunbookLimits), _ => { });

            var error = await Assert.ThrowsAsync<IOException>(() => app.StartAsync());

            Assert.StartsWith($"--metrics-listen {taken.LocalEndpoint}: ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task MetricsListen_NotSet_NoMetricsServer()
    {
        await using var coordinator = await TestCoordinator.StartAsync();

        Assert.Null(coordinator.App.Services.GetService<MetricsServer>());
        Assert.NotNull(coordinator.App.Services.GetService<CoordinatorMetrics>()); // still counted, only not served
    }
}
