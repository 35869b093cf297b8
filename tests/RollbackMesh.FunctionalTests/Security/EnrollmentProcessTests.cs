using System.Text.Json;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>
/// Enrollment end to end with real processes only: <c>rollbackmesh-coordinator init / token create / operator add /
/// serve</c> (TLS, the default), a <c>rollbackmesh-agent</c> given nothing but the join token and where to put its TLS
/// files, the <c>rollbackmesh</c> CLI with alice's operator certificate, and <c>node remove</c>.
/// </summary>
public sealed class EnrollmentProcessTests(ITestOutputHelper log) : IDisposable
{
    private const string Node = "e2e-enrolled-1";
    private readonly string _directory = Directory.CreateTempSubdirectory("rbm-enroll-e2e-").FullName;

    private string Data => Path.Combine(_directory, "data");

    private string Operators => Path.Combine(_directory, "ops");

    [Fact]
    public async Task Agent_OnlyAJoinToken_EnrollsAppearsInNodesThenRefusedAfterNodeRemove()
    {
        Assert.Equal(0, await RunCoordinatorAsync("init", "--data", Data));
        var token = (await RunCoordinatorAsync(["token", "create", "--data", Data], captureLine: l => l.StartsWith("K10", StringComparison.Ordinal))).Trim();
        Assert.Equal(0, await RunCoordinatorAsync("operator", "add", "alice", "--data", Data, "--out", Operators));
        using var serve = TestProcess.Start("coordinator", BuiltExecutables.Coordinator, ["serve", "--listen", "127.0.0.1:0", "--data", Data]);
        var address = (await serve.WaitForStdoutLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)))["listening on ".Length..];
        Assert.StartsWith("https://", address, StringComparison.Ordinal);
        var tls = Path.Combine(_directory, "agent", "tls");
        var config = WriteAgentConfig(address, tls);

        using (var agent = StartAgent(config, token))
        {
            try
            {
                var node = await WaitForNodeAsync(address, n => n.GetProperty("connected").GetBoolean());

                Assert.Equal(["agent"], node.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
                Assert.Equal(FileModes.OwnerOnly, FileModes.Of(Path.Combine(tls, "node.key")));
                Assert.True(File.Exists(Path.Combine(tls, "node.crt")) && File.Exists(Path.Combine(tls, "ca.crt")));
                var secret = token[(token.LastIndexOf('.') + 1)..];
                Assert.DoesNotContain(secret, agent.Output, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, serve.Output, StringComparison.Ordinal);
                Assert.Equal(0, await RunCoordinatorAsync("node", "remove", Node, "--data", Data));
                // The open stream is closed and the refused agent stops by itself (RevocationProcessTests has the details).
                Assert.Equal(1, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }
            finally
            {
                log.WriteLine($"--- agent (first start) ---\n{agent.Output}");
            }
        }

        // Started again it has a certificate, so it does not enroll; the coordinator refuses the revoked certificate.
        using (var again = StartAgent(config, token))
        {
            try
            {
                Assert.Equal(1, await again.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                Assert.Contains("Unauthenticated", again.Output, StringComparison.Ordinal);
                Assert.Contains("revoked", again.Output, StringComparison.Ordinal);
                var node = await WaitForNodeAsync(address, n => !n.GetProperty("connected").GetBoolean());
                Assert.Equal(Node, node.GetProperty("name").GetString());
            }
            finally
            {
                log.WriteLine($"--- agent (after node remove) ---\n{again.Output}");
                log.WriteLine($"--- coordinator ---\n{serve.Output}");
            }
        }
    }

    [Fact]
    public async Task Metrics_WrongTokenSecretThenTheRealToken_OneRefusalCountedAndTheAgentConnected()
    {
        Assert.Equal(0, await RunCoordinatorAsync("init", "--data", Data));
        var token = (await RunCoordinatorAsync(["token", "create", "--data", Data], captureLine: l => l.StartsWith("K10", StringComparison.Ordinal))).Trim();
        using var serve = TestProcess.Start("coordinator", BuiltExecutables.Coordinator,
            ["serve", "--listen", "127.0.0.1:0", "--data", Data, "--metrics-listen", "127.0.0.1:0"]);
        var address = (await serve.WaitForStdoutLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)))["listening on ".Length..];
        var metrics = new Uri((await serve.WaitForStdoutLineAsync(l => l.StartsWith("metrics on ", StringComparison.Ordinal), TimeSpan.FromSeconds(10)))["metrics on ".Length..]);
        Assert.StartsWith("http://", metrics.ToString(), StringComparison.Ordinal); // plaintext, beside the TLS port
        var config = WriteAgentConfig(address, Path.Combine(_directory, "agent", "tls"));
        var secretAt = token.LastIndexOf('.') + 1;
        var forged = token[..secretAt] + (token[secretAt] == 'a' ? 'b' : 'a') + token[(secretAt + 1)..];

        using (var refused = StartAgent(config, forged))
        {
            Assert.Equal(1, await refused.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            log.WriteLine($"--- agent (forged token) ---\n{refused.Output}");
        }

        var afterRefusal = await Scrape.GetAsync(metrics);
        Assert.Equal(1, afterRefusal["rollbackmesh_enrollments_refused_total{reason=\"unauthenticated\"}"]);
        using var agent = StartAgent(config, token);
        var connected = await Scrape.WaitForAsync(
            metrics, s => s.Series.GetValueOrDefault("rollbackmesh_agents_connected{role=\"agent\"}") == 1, "the enrolled agent connected");
        Assert.Equal(1, connected["rollbackmesh_enrollments_refused_total{reason=\"unauthenticated\"}"]);
        await Scrape.AssertPromtoolAcceptsAsync(log, connected.Text);
        log.WriteLine($"--- coordinator ---\n{serve.Output}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteAgentConfig(string address, string tls)
    {
        var path = Path.Combine(_directory, "agent", "agent.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var state = Path.Combine(_directory, "agent");
        File.WriteAllText(path, $"""
            nodeName: {Node}
            roles: [agent]
            cluster: test
            coordinator:
              address: {address}
              tls:
                ca: {tls}/ca.crt
                cert: {tls}/node.crt
                key: {tls}/node.key
            journalPath: {state}/journal.db
            quarantinePath: {state}/quarantine
            dataDirectories: [/]
            healthInterval: 1s
            systemBusAddress: unix:path={state}/no-system-bus
            """);
        return path;
    }

    // The token goes in through the environment, as the packaging comments recommend; agent.yaml never holds it.
    private static TestProcess StartAgent(string config, string token) =>
        TestProcess.Start("agent " + Node, BuiltExecutables.Agent, ["--config", config],
            new Dictionary<string, string> { ["ROLLBACKMESH_AGENT__COORDINATOR__TOKEN"] = token });

    private async Task<int> RunCoordinatorAsync(params string[] args)
    {
        using var process = TestProcess.Start("rollbackmesh-coordinator " + args[0], BuiltExecutables.Coordinator, args);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        log.WriteLine($"$ rollbackmesh-coordinator {string.Join(' ', args)}  (exit {code})\n{process.Output}");
        return code;
    }

    private async Task<string> RunCoordinatorAsync(string[] args, Func<string, bool> captureLine)
    {
        using var process = TestProcess.Start("rollbackmesh-coordinator " + args[0], BuiltExecutables.Coordinator, args);
        var line = await process.WaitForStdoutLineAsync(captureLine, TimeSpan.FromSeconds(60));
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        return line;
    }

    private Task<JsonElement> WaitForNodeAsync(string address, Func<JsonElement, bool> condition) =>
        OperatorNodes.WaitForAsync(log, address, Operators, Node, condition);
}
