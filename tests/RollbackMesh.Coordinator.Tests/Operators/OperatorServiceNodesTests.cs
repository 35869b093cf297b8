using System.Collections.Immutable;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using RollbackMesh.Coordinator.Tests.Fleet;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Operators;

public sealed class OperatorServiceNodesTests
{
    [Fact]
    public async Task ListNodes_NoReportForThreeIntervals_ShowsStaleUntilTheNextReport()
    {
        await using var fleet = await SimulatedFleet.StartAsync([]);
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var registry = new FleetRegistry(new FleetOptions(), time);
        var service = new OperatorService(registry, new StandInPlanSource(), fleet.Executor, fleet.Audit, fleet.Options);
        await registry.OnHelloAsync(new NodeIdentity("n1", ["agent"], ImmutableSortedDictionary<string, string>.Empty, "0.1.0", [],
            ImmutableSortedDictionary<string, string>.Empty));
        registry.OnHealth("n1", Health(time));

        time.Advance(TimeSpan.FromSeconds(31));
        var stale = Assert.Single(service.ListNodes(new V1.ListNodesRequest(), "bob").Nodes);
        registry.OnHealth("n1", Health(time));
        var fresh = Assert.Single(service.ListNodes(new V1.ListNodesRequest(), "bob").Nodes);

        Assert.True(stale.Stale);
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromSeconds(31), stale.LastSeen.ToDateTimeOffset());
        Assert.False(fresh.Stale);
        Assert.Equal(time.GetUtcNow(), fresh.LastSeen.ToDateTimeOffset());
    }

    [Fact]
    public async Task ListNodes_TenThousandNodesWithLargeFacts_EveryNodeListedInPagesUnderTheMessageLimit()
    {
        await using var fleet = await SimulatedFleet.StartAsync([]);
        var registry = new FleetRegistry(new FleetOptions(), TimeProvider.System);
        var service = new OperatorService(registry, new StandInPlanSource(), fleet.Executor, fleet.Audit, fleet.Options);
        var facts = ImmutableSortedDictionary<string, string>.Empty.Add("os-release", new string('o', 1024));
        for (var i = 0; i < 10_000; i++)
        {
            await registry.OnHelloAsync(new NodeIdentity($"node-{i:D5}", ["agent"], ImmutableSortedDictionary<string, string>.Empty, "0.1.0", [], facts));
        }

        var listed = new List<string>();
        var request = new V1.ListNodesRequest();
        do
        {
            var page = service.ListNodes(request, "bob");
            Assert.InRange(page.CalculateSize(), 1, Protos.Channels.ChannelSettings.DefaultMaxMessageSize - 1);
            listed.AddRange(page.Nodes.Select(n => n.Name));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(10_000, listed.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
    }

    private static NodeHealth Health(TimeProvider time) =>
        new(time.GetUtcNow(), time.GetUtcNow(), true, [], [], ImmutableSortedDictionary<string, string>.Empty, [], "Sqlite");
}
