using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Tests.Hosting;
using Grpc.Core;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Endpoints;

public sealed class AgentHubEndpointTests : IAsyncLifetime
{
    private TestCoordinator _coordinator = null!;

    public async Task InitializeAsync() => _coordinator = await TestCoordinator.StartAsync();

    public async Task DisposeAsync() => await _coordinator.DisposeAsync();

    [Fact]
    public async Task Connect_Hello_RegistersNodeAndAnswersHelloAck()
    {
        await using var agent = await TestAgent.ConnectAsync(_coordinator.Channel, "server-1", "server", "first-server");

        Assert.True(await agent.Incoming.MoveNext());
        Assert.Equal(CoordinatorMessage.BodyOneofCase.HelloAck, agent.Incoming.Current.BodyCase);
        Assert.Equal(10u, agent.Incoming.Current.HelloAck.HealthIntervalSeconds);
        var nodes = await new Operator.OperatorClient(_coordinator.Channel).ListNodesAsync(new ListNodesRequest());
        var node = Assert.Single(nodes.Nodes);
        Assert.Equal("server-1", node.Name);
        Assert.Equal(["server", "first-server"], node.Roles);
        Assert.True(node.Connected);
        Assert.Equal("0.1.0-test", node.AgentVersion);
        Assert.InRange(node.LastSeen.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Connect_HealthReport_ReachesRegistry()
    {
        await using var agent = await TestAgent.ConnectAsync(_coordinator.Channel, "agent-1", "agent");
        Assert.True(await agent.Incoming.MoveNext());

        await agent.SendHealthyAsync();

        var registry = _coordinator.Get<FleetRegistry>();
        await WaitUntilAsync(() => registry.Get("agent-1")?.Health is not null);
        Assert.True(registry.Get("agent-1")!.IsHealthy);
        Assert.Equal("v1.28.5+k3s1", registry.Get("agent-1")!.Health!.Versions["k3s"]);
    }

    [Fact]
    public async Task Connect_AgentHalfCloses_NodeShownDisconnected()
    {
        await using var agent = await TestAgent.ConnectAsync(_coordinator.Channel, "agent-2", "agent");
        Assert.True(await agent.Incoming.MoveNext());

        await agent.CompleteAsync();

        Assert.False(await agent.Incoming.MoveNext());
        var hub = _coordinator.Get<AgentSessionHub>();
        Assert.False(hub.IsConnected("agent-2"));
        Assert.False(_coordinator.Get<FleetRegistry>().Get("agent-2")!.Connected);
    }

    [Fact]
    public async Task Connect_FirstMessageNotHello_InvalidArgument()
    {
        using var call = new AgentHub.AgentHubClient(_coordinator.Channel).Connect();
        await call.RequestStream.WriteAsync(new AgentMessage { Health = TestAgent.Healthy() });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Empty(_coordinator.Get<FleetRegistry>().List());
    }

    [Fact]
    public async Task SendAsync_ConnectedNode_MessageArrivesOnItsStream()
    {
        await using var agent = await TestAgent.ConnectAsync(_coordinator.Channel, "agent-3", "agent");
        Assert.True(await agent.Incoming.MoveNext());
        var hub = _coordinator.Get<AgentSessionHub>();

        // Many concurrent writers: the endpoint serialises them, and every one arrives whole.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            hub.SendAsync("agent-3", AgentWireMapper.JournalQuery($"run-{i}"), CancellationToken.None).AsTask()));

        var received = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            Assert.True(await agent.Incoming.MoveNext());
            received.Add(agent.Incoming.Current.JournalQuery.RunId);
        }

        Assert.Equal(50, received.Count);
    }

    [Fact]
    public async Task SendAsync_AfterStreamEnded_AgentUnavailable()
    {
        var agent = await TestAgent.ConnectAsync(_coordinator.Channel, "agent-4", "agent");
        Assert.True(await agent.Incoming.MoveNext());
        await agent.DisposeAsync();
        var hub = _coordinator.Get<AgentSessionHub>();
        await WaitUntilAsync(() => !hub.IsConnected("agent-4"));

        await Assert.ThrowsAsync<AgentUnavailableException>(() =>
            hub.SendAsync("agent-4", AgentWireMapper.JournalQuery("run-x"), CancellationToken.None).AsTask());
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "The condition did not hold within 10 s.");
            await Task.Delay(20);
        }
    }
}
