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

    [Fact]
    public async Task Nodes_RealAgentsInTwoClusters_GroupedWithCountsAndFilteredByClusterAndSelector()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var a = AgentProcess.Start(log, coordinator.Address, "c-node-a", ["agent"], new Dictionary<string, string> { ["zone"] = "a" }, cluster: "edge-01");
        using var b = AgentProcess.Start(log, coordinator.Address, "c-node-b", ["agent"], new Dictionary<string, string> { ["zone"] = "b" }, cluster: "edge-01");
        using var c = AgentProcess.Start(log, coordinator.Address, "c-node-c", ["agent"], new Dictionary<string, string> { ["zone"] = "b" }, cluster: "edge-02");
        foreach (var name in new[] { "c-node-a", "c-node-b", "c-node-c" })
        {
            await WaitForNodeAsync(coordinator, name, n => n.GetProperty("connected").GetBoolean());
        }

        var address = coordinator.Address.ToString();
        var table = await CliRun.RunAsync(log, "--coordinator", address, "--insecure", "nodes");
        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"(?s)edge-01\s+2 nodes, \d healthy.*c-node-a.*c-node-b.*edge-02\s+1 node, \d healthy.*c-node-c", table.Stdout);

        var one = await CliRun.RunAsync(log, "--coordinator", address, "--insecure", "--json", "nodes", "--cluster", "edge-02");
        Assert.Equal(0, one.ExitCode);
        using (var json = JsonDocument.Parse(one.Stdout))
        {
            var node = Assert.Single(json.RootElement.GetProperty("nodes").EnumerateArray());
            Assert.Equal(("c-node-c", "edge-02"), (node.GetProperty("name").GetString(), node.GetProperty("cluster").GetString()));
        }

        var selected = await CliRun.RunAsync(log, "--coordinator", address, "--insecure", "--json", "nodes", "--selector", "zone=b", "--cluster", "edge-01");
        Assert.Equal(0, selected.ExitCode);
        using (var json = JsonDocument.Parse(selected.Stdout))
        {
            Assert.Equal(["c-node-b"], json.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        }

        var badSelector = await CliRun.RunAsync(log, "--coordinator", address, "--insecure", "nodes", "--selector", "zone");
        Assert.Equal(2, badSelector.ExitCode);
        Assert.Contains("--selector 'zone' is not key=value", badSelector.Stderr, StringComparison.Ordinal);
        var badCluster = await CliRun.RunAsync(log, "--coordinator", address, "--insecure", "nodes", "--cluster", "Edge_01");
        Assert.Equal(2, badCluster.ExitCode);
        Assert.Contains("--cluster 'Edge_01' is not a cluster name", badCluster.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_RealAgentRestartedInAnotherCluster_RefusedAndExitsNamingBothClustersAndNodeRemove()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using (var agent = AgentProcess.Start(log, coordinator.Address, "c-mover", ["agent"], cluster: "edge-01"))
        {
            await WaitForNodeAsync(coordinator, "c-mover", n => n.GetProperty("connected").GetBoolean());
            Assert.Equal(0, await agent.Process.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        using var moved = AgentProcess.Start(log, coordinator.Address, "c-mover", ["agent"], cluster: "edge-02");

        // A refusal is final for the agent: exit code 1, which systemd does not restart.
        Assert.Equal(1, await moved.Process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("belongs to cluster 'edge-01' but its Hello says cluster 'edge-02'", moved.Process.Output, StringComparison.Ordinal);
        Assert.Contains("rollbackmesh-coordinator node remove c-mover", moved.Process.Output, StringComparison.Ordinal);
        var node = await WaitForNodeAsync(coordinator, "c-mover", n => !n.GetProperty("connected").GetBoolean());
        Assert.Equal("edge-01", node.GetProperty("cluster").GetString());
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
