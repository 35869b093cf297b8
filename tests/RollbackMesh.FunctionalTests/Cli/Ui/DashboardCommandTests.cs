using System.Net;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Cli.Ui;

/// <summary>`rollbackmesh ui` as a process: where it refuses to listen, and what its loopback guard refuses.</summary>
public sealed class DashboardCommandTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("0.0.0.0:8080", "not a loopback address")]
    [InlineData("192.0.2.10:8080", "not a loopback address")]
    [InlineData("[::]:8080", "not a loopback address")]
    [InlineData("example.com:8080", "not an IP address or localhost")]
    [InlineData("127.0.0.1", "not host:port")]
    public async Task Ui_ListenNotLoopback_RefusedExit2NamingIt(string listen, string reason)
    {
        var run = await CliRun.RunAsync(log, "--coordinator", "http://127.0.0.1:1", "--insecure", "ui", "--listen", listen);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--listen '{listen}'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("dashboard on", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ui_PagesEmbeddedAndGuarded_ServedWithoutFilesForeignHostAndHeaderlessChangeRefused()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var dashboard = await DashboardProcess.StartAsync(log, "--coordinator", coordinator.Address.ToString(), "--insecure");
        using var http = new HttpClient { BaseAddress = dashboard.Address };

        // The pages come from the executable: no asset files sit beside it.
        Assert.Empty(Directory.GetFiles(AppContext.BaseDirectory, "dashboard.js", SearchOption.AllDirectories));
        var index = await http.GetStringAsync("/");
        Assert.Contains("/dashboard.js", index, StringComparison.Ordinal);
        Assert.Contains("Content-Security-Policy", string.Join(',', (await http.GetAsync("/dashboard.js")).Headers.Select(h => h.Key)), StringComparison.Ordinal);
        Assert.Equal("{ \"nodes\": [ ], \"nextPageToken\": \"\" }", await http.GetStringAsync("/api/nodes"));

        // DNS rebinding: a hostile name resolving to 127.0.0.1 reaches this port with its own Host header.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/nodes") { Headers = { Host = "attacker.example" } };
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await http.SendAsync(rebound)).StatusCode);

        // A cross-site form can POST, but not with the dashboard's header.
        var headerless = await http.PostAsync("/api/runs/run-x/approve", new StringContent("{\"gate\":\"g\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, headerless.StatusCode);
        using var withHeader = new HttpRequestMessage(HttpMethod.Post, "/api/runs/run-x/approve")
        {
            Content = new StringContent("{\"gate\":\"g\"}", System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "X-RollbackMesh-Dashboard", "1" } },
        };
        var relayed = await http.SendAsync(withHeader);
        Assert.Equal(HttpStatusCode.NotFound, relayed.StatusCode);
        Assert.Contains("run-x", await relayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ui_Sigterm_StopsServingAndExits0()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var dashboard = await DashboardProcess.StartAsync(log, "--coordinator", coordinator.Address.ToString(), "--insecure");

        Assert.Equal(0, await dashboard.TerminateAsync(TimeSpan.FromSeconds(15)));

        using var http = new HttpClient { BaseAddress = dashboard.Address };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync("/"));
    }
}
