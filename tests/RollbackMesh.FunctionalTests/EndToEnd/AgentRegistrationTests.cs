using System.Text.Json;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>Real coordinator, real agent, real CLI, all separate processes on loopback.</summary>
public sealed class AgentRegistrationTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Nodes_RealAgentConnected_ListedWithRolesAndRecentLastSeen()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var agent = AgentProcess.Start(log, coordinator.Address, "e2e-server-1", ["server", "first-server"],
            new Dictionary<string, string> { ["zone"] = "a" });

        var node = await WaitForNodeAsync(coordinator, "e2e-server-1", n => n.GetProperty("connected").GetBoolean() && n.TryGetProperty("health", out _));

        Assert.Equal(["server", "first-server"], node.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("a", node.GetProperty("labels").GetProperty("zone").GetString());
        Assert.False(node.GetProperty("stale").GetBoolean());
        var lastSeen = node.GetProperty("lastSeen").GetDateTimeOffset();
        Assert.InRange(DateTimeOffset.UtcNow - lastSeen, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(15));
        Assert.False(string.IsNullOrEmpty(node.GetProperty("agentVersion").GetString()));
    }

    [Fact]
    public async Task Nodes_AgentStopped_ShownDisconnectedButKept()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using (var agent = AgentProcess.Start(log, coordinator.Address, "e2e-agent-1", ["agent"]))
        {
            await WaitForNodeAsync(coordinator, "e2e-agent-1", n => n.GetProperty("connected").GetBoolean());
            Assert.Equal(0, await agent.Process.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        var node = await WaitForNodeAsync(coordinator, "e2e-agent-1", n => !n.GetProperty("connected").GetBoolean());

        Assert.Equal(["agent"], node.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var table = await CliRun.RunAsync(log, "--coordinator", coordinator.Address.ToString(), "--insecure", "nodes");
        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"e2e-agent-1\s+agent\s+disconnected", table.Stdout);
    }

    /// <summary>Polls `rollbackmesh nodes --json` (a real CLI process) until the node matches, for up to 60 s.</summary>
    private async Task<JsonElement> WaitForNodeAsync(CoordinatorProcess coordinator, string name, Func<JsonElement, bool> condition)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await CliRun.RunAsync(log, "--coordinator", coordinator.Address.ToString(), "--insecure", "--json", "nodes");
            Assert.Equal(0, run.ExitCode);
            using var json = JsonDocument.Parse(run.Stdout);
            var node = json.RootElement.GetProperty("nodes").EnumerateArray().FirstOrDefault(n => n.GetProperty("name").GetString() == name);
            if (node.ValueKind == JsonValueKind.Object && condition(node))
            {
                return node.Clone();
            }

            Assert.True(DateTime.UtcNow < giveUp, $"Node {name} did not reach the expected state within 60 s; last answer: {run.Stdout}");
            await Task.Delay(500);
        }
    }
}
