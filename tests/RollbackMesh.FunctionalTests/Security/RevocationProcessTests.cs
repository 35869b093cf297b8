using System.Diagnostics;
using System.Text.Json;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>
/// Revocation with real processes and TLS on (issue 17 item 1): <c>rollbackmesh-coordinator serve</c>, an agent that
/// enrolled with a join token, <c>node remove</c> run beside the server, and the <c>rollbackmesh</c> CLI. A removed
/// node's open stream is closed at once and the agent exits 1 instead of retrying; every other permanent refusal
/// (revoked certificate at start, another node's name, an untrusted CA) exits 1 after a single attempt too.
/// </summary>
public sealed class RevocationProcessTests(ITestOutputHelper log) : IDisposable
{
    private const string Node = "revoked-1";
    private const string RefusedLine = "refused this node";
    private readonly string _directory = Directory.CreateTempSubdirectory("rbm-revoke-").FullName;

    private string Data => Path.Combine(_directory, "data");

    private string Operators => Path.Combine(_directory, "ops");

    private string Tls => Path.Combine(_directory, "agent", "tls");

    [Fact]
    public async Task NodeRemove_WhileConnected_StreamClosedWithinASecondAgentExits1AndNodeShownRemoved()
    {
        var (serve, address, token) = await StartCoordinatorAsync();
        using var _ = serve;
        using var agent = StartAgent(WriteAgentConfig(address, Node), token);
        try
        {
            await WaitForNodeAsync(address, n => n.GetProperty("connected").GetBoolean());

            using var remove = TestProcess.Start("node remove", BuiltExecutables.Coordinator, ["node", "remove", Node, "--data", Data]);
            await remove.WaitForStdoutLineAsync(l => l.Contains("certificate(s) revoked", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var sinceRevoked = Stopwatch.StartNew(); // the state file is written before that line is printed
            await WaitForOutputAsync(agent, RefusedLine, TimeSpan.FromSeconds(10));
            var cutAfter = sinceRevoked.Elapsed;
            log.WriteLine($"stream closed {cutAfter.TotalMilliseconds:0} ms after node remove revoked the certificate");
            Assert.Equal(0, await remove.WaitForExitAsync(TimeSpan.FromSeconds(60)));

            Assert.True(cutAfter < TimeSpan.FromSeconds(1), $"the stream stayed open {cutAfter.TotalMilliseconds:0} ms after the revocation");
            Assert.Equal(1, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("revoked", agent.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("retrying in", agent.Output, StringComparison.Ordinal);
            var node = await WaitForNodeAsync(address, n => n.GetProperty("removed").GetBoolean());
            Assert.False(node.GetProperty("connected").GetBoolean());
            Assert.Contains($"Node {Node} was removed", serve.Output, StringComparison.Ordinal);
        }
        finally
        {
            log.WriteLine($"--- agent ---\n{agent.Output}\n--- coordinator ---\n{serve.Output}");
        }
    }

    [Fact]
    public async Task RefusedAgents_RevokedImpersonatingOrUntrustedCa_Exit1AfterOneAttemptEach()
    {
        var (serve, address, token) = await StartCoordinatorAsync();
        using var _ = serve;
        var config = WriteAgentConfig(address, Node);
        using (var enrolled = StartAgent(config, token))
        {
            await WaitForNodeAsync(address, n => n.GetProperty("connected").GetBoolean());
            Assert.Equal(0, await enrolled.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        // Another node's name with this node's certificate: PERMISSION_DENIED.
        await AssertRefusedAsync(WriteAgentConfig(address, "someone-else", "impersonating"), "PermissionDenied");

        // The coordinator's certificate checked against a CA that did not sign it: the TLS handshake fails.
        Assert.Equal(0, await RunCoordinatorAsync("init", "--data", Path.Combine(_directory, "foreign")));
        var foreignTls = Path.Combine(_directory, "foreign-tls");
        Directory.CreateDirectory(foreignTls);
        File.Copy(Path.Combine(Tls, "node.crt"), Path.Combine(foreignTls, "node.crt"));
        File.Copy(Path.Combine(Tls, "node.key"), Path.Combine(foreignTls, "node.key"));
        File.Copy(Path.Combine(_directory, "foreign", "pki", "ca.crt"), Path.Combine(foreignTls, "ca.crt"));
        await AssertRefusedAsync(WriteAgentConfig(address, Node, "foreign-ca", foreignTls), "TLS handshake failed");

        // Its own certificate after node remove: UNAUTHENTICATED, revoked.
        Assert.Equal(0, await RunCoordinatorAsync("node", "remove", Node, "--data", Data));
        await AssertRefusedAsync(config, "revoked");
        log.WriteLine($"--- coordinator ---\n{serve.Output}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // Exits 1 by itself, says why in one line, and makes one attempt (before the change: ~2 refusals a second, forever).
    private async Task AssertRefusedAsync(string config, string reason)
    {
        using var agent = StartAgent(config, token: null);
        try
        {
            Assert.Equal(1, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            var refusals = agent.Output.Split('\n').Where(l => l.Contains(RefusedLine, StringComparison.Ordinal)).ToList();
            Assert.Single(refusals);
            Assert.Contains(reason, agent.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("retrying in", agent.Output, StringComparison.Ordinal);
        }
        finally
        {
            log.WriteLine($"--- agent ({reason}) ---\n{agent.Output}");
        }
    }

    private async Task<(TestProcess Serve, string Address, string Token)> StartCoordinatorAsync()
    {
        Assert.Equal(0, await RunCoordinatorAsync("init", "--data", Data));
        string token;
        using (var create = TestProcess.Start("token create", BuiltExecutables.Coordinator, ["token", "create", "--data", Data]))
        {
            token = (await create.WaitForStdoutLineAsync(l => l.StartsWith("K10", StringComparison.Ordinal), TimeSpan.FromSeconds(60))).Trim();
            Assert.Equal(0, await create.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        Assert.Equal(0, await RunCoordinatorAsync("operator", "add", "alice", "--data", Data, "--out", Operators));
        var serve = TestProcess.Start("coordinator", BuiltExecutables.Coordinator, ["serve", "--listen", "127.0.0.1:0", "--data", Data]);
        var address = (await serve.WaitForStdoutLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)))["listening on ".Length..];
        Assert.StartsWith("https://", address, StringComparison.Ordinal);
        return (serve, address, token);
    }

    private string WriteAgentConfig(string address, string nodeName, string file = "agent", string? tls = null)
    {
        tls ??= Tls;
        var state = Path.Combine(_directory, "agent");
        var path = Path.Combine(state, file + ".yaml");
        Directory.CreateDirectory(state);
        File.WriteAllText(path, $"""
            nodeName: {nodeName}
            roles: [agent]
            cluster: test
            coordinator:
              address: {address}
              tls:
                ca: {tls}/ca.crt
                cert: {tls}/node.crt
                key: {tls}/node.key
            journalPath: {state}/{file}-journal.db
            quarantinePath: {state}/quarantine
            dataDirectories: [/]
            healthInterval: 1s
            systemBusAddress: unix:path={state}/no-system-bus
            """);
        return path;
    }

    private static TestProcess StartAgent(string config, string? token) =>
        TestProcess.Start("agent", BuiltExecutables.Agent, ["--config", config],
            token is null ? null : new Dictionary<string, string> { ["ROLLBACKMESH_AGENT__COORDINATOR__TOKEN"] = token });

    private async Task<int> RunCoordinatorAsync(params string[] args)
    {
        using var process = TestProcess.Start("rollbackmesh-coordinator " + args[0], BuiltExecutables.Coordinator, args);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        log.WriteLine($"$ rollbackmesh-coordinator {string.Join(' ', args)}  (exit {code})\n{process.Output}");
        return code;
    }

    private static async Task WaitForOutputAsync(TestProcess process, string text, TimeSpan timeout)
    {
        var giveUp = DateTime.UtcNow + timeout;
        while (!process.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < giveUp, $"{process.Name} never printed '{text}' within {timeout.TotalSeconds} s.");
            await Task.Delay(10);
        }
    }

    private Task<JsonElement> WaitForNodeAsync(string address, Func<JsonElement, bool> condition) =>
        OperatorNodes.WaitForAsync(log, address, Operators, Node, condition);
}
