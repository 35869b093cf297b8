using System.Collections.Immutable;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Storage;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Fleet;

public sealed class FleetRegistryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rollbackmesh-fleet-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static NodeIdentity Node(string name) => new(name, ["server"], ImmutableSortedDictionary<string, string>.Empty.Add("zone", "a"),
        "0.1.0", ["no_op"], ImmutableSortedDictionary<string, string>.Empty.Add("os", "debian-12"));

    private NodeHealth Health(bool healthy = true) => new(_time.GetUtcNow(), _time.GetUtcNow(), healthy, [], [], ImmutableSortedDictionary<string, string>.Empty, [], "Sqlite");

    [Fact]
    public async Task NextReportAsync_OneOfTheNodesReports_CompletesThenAndNotBefore()
    {
        var registry = new FleetRegistry(new FleetOptions(), _time);
        await registry.OnHelloAsync(Node("n1"));
        await registry.OnHelloAsync(Node("n2"));
        await registry.OnHelloAsync(Node("n3"));
        var next = registry.NextReportAsync(["n1", "n2"]);

        registry.OnHealth("n3", Health()); // not one of them
        var beforeTheirReport = next.IsCompleted;
        registry.OnHealth("n2", Health());

        Assert.False(beforeTheirReport);
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(registry.NextReportAsync(["n2"]).IsCompleted); // a new wait waits for the next report
    }

    [Fact]
    public async Task Get_TwoIntervalsAndAHalfWithoutReport_IsStale()
    {
        var registry = new FleetRegistry(new FleetOptions(), _time);
        await registry.OnHelloAsync(Node("n1"));
        registry.OnHealth("n1", Health());

        _time.Advance(TimeSpan.FromSeconds(25));
        Assert.False(registry.Get("n1")!.Stale);
        Assert.True(registry.Get("n1")!.IsHealthy);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(registry.Get("n1")!.Stale);
        Assert.False(registry.Get("n1")!.IsHealthy);
    }

    [Fact]
    public async Task Get_NodeTimeoutSet_StaleOnlyAfterIt()
    {
        var registry = new FleetRegistry(new FleetOptions { NodeTimeout = TimeSpan.FromSeconds(60) }, _time);
        await registry.OnHelloAsync(Node("n1"));
        registry.OnHealth("n1", Health());

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.False(registry.Get("n1")!.Stale);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(registry.Get("n1")!.Stale);
    }

    [Fact]
    public async Task HealthHistory_MoreReportsThanTheLimit_KeepsTheNewest()
    {
        var registry = new FleetRegistry(new FleetOptions { HealthHistoryLength = 100 }, _time);
        await registry.OnHelloAsync(Node("n1"));
        for (var i = 0; i < 150; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            registry.OnHealth("n1", Health(healthy: i % 2 == 0));
        }

        var history = registry.HealthHistory("n1");
        Assert.Equal(100, history.Length);
        Assert.Equal(_time.GetUtcNow(), history[^1].ReceivedAt);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(99), history[0].ReceivedAt);
    }

    [Fact]
    public async Task HealthHistory_RepeatedSameState_KeepsOnlyTheChanges()
    {
        var registry = new FleetRegistry(new FleetOptions { HealthHistoryLength = 100 }, _time);
        await registry.OnHelloAsync(Node("n1"));
        var changes = new List<DateTimeOffset>();
        for (var i = 0; i < 1_000; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            var healthy = i is < 400 or >= 410;
            if (i is 0 or 400 or 410)
            {
                changes.Add(_time.GetUtcNow());
            }

            registry.OnHealth("n1", Health(healthy) with { Disks = [new DiskSpace("/", (ulong)(1_000_000 - i), 2_000_000)] });
        }

        Assert.Equal(changes, registry.HealthHistory("n1").Select(h => h.ReceivedAt));
        Assert.Equal(_time.GetUtcNow(), registry.Get("n1")!.LastSeen);
        Assert.Equal(999_001UL, registry.Get("n1")!.Health!.Disks[0].FreeBytes);
    }

    [Fact]
    public async Task OnHello_OtherClusterThanStored_RefusedNamingBothAndNodeRemoveAfterARestart()
    {
        var path = Path.Combine(_directory, "c.db");
        await using (var store = CoordinatorStore.Open(path))
        {
            await new FleetRegistry(new FleetOptions(), _time, store).OnHelloAsync(Node("n1") with { Cluster = "edge-01" });
        }

        await using var reopened = CoordinatorStore.Open(path);
        var registry = new FleetRegistry(new FleetOptions(), _time, reopened);
        Assert.Equal("edge-01", registry.Get("n1")!.Identity.Cluster);

        var refused = await Assert.ThrowsAsync<ClusterChangeRefusedException>(() => registry.OnHelloAsync(Node("n1") with { Cluster = "edge-02" }));

        Assert.Contains("'edge-01'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'edge-02'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("rollbackmesh-coordinator node remove n1", refused.Message, StringComparison.Ordinal);
        Assert.Equal("edge-01", registry.Get("n1")!.Identity.Cluster);
        Assert.False(registry.Get("n1")!.Connected);
    }

    [Fact]
    public async Task OnHello_OtherClusterAfterNodeRemove_Accepted()
    {
        var registry = new FleetRegistry(new FleetOptions(), _time);
        await registry.OnHelloAsync(Node("n1") with { Cluster = "edge-01" });
        await registry.OnHelloAsync(Node("n1") with { Cluster = "edge-01" }); // the same cluster again: a reconnection

        registry.SetRemoved(new HashSet<string> { "n1" });
        await registry.OnHelloAsync(Node("n1") with { Cluster = "edge-02" });

        Assert.Equal("edge-02", registry.Get("n1")!.Identity.Cluster);
        Assert.False(registry.Get("n1")!.Removed);
    }

    [Fact]
    public async Task OnHello_NodeStoredWithoutCluster_TakesTheClusterItNames()
    {
        var registry = new FleetRegistry(new FleetOptions(), _time);
        await registry.OnHelloAsync(Node("n1"));

        await registry.OnHelloAsync(Node("n1") with { Cluster = "edge-01" });

        Assert.Equal("edge-01", registry.Get("n1")!.Identity.Cluster);
    }

    [Fact]
    public async Task Registry_AfterRestartOverTheSameStore_ListsKnownNodesAsDisconnected()
    {
        var path = Path.Combine(_directory, "c.db");
        await using (var store = CoordinatorStore.Open(path))
        {
            var registry = new FleetRegistry(new FleetOptions(), _time, store);
            await registry.OnHelloAsync(Node("n1"));
            await registry.OnHelloAsync(Node("n2"));
            Assert.All(registry.List(), n => Assert.True(n.Connected));
        }

        await using var reopened = CoordinatorStore.Open(path);
        var after = new FleetRegistry(new FleetOptions(), _time, reopened).List();

        Assert.Equal(["n1", "n2"], after.Select(n => n.Name));
        Assert.All(after, n => Assert.False(n.Connected));
        Assert.Equal("a", after[0].Identity.Labels["zone"]);
        Assert.Equal(_time.GetUtcNow(), after[0].LastSeen);
    }

    [Fact]
    public async Task OnHealth_EveryReport_MovesLastSeenButPersistsAtMostOncePerInterval()
    {
        await using var store = CoordinatorStore.Open(Path.Combine(_directory, "c.db"));
        var registry = new FleetRegistry(new FleetOptions { LastSeenPersistInterval = TimeSpan.FromSeconds(60) }, _time, store);
        await registry.OnHelloAsync(Node("n1"));
        var hello = _time.GetUtcNow();

        _time.Advance(TimeSpan.FromSeconds(10));
        registry.OnHealth("n1", Health());
        await registry.FlushAsync();
        var inMemory = registry.Get("n1")!.LastSeen;
        var storedEarly = store.LoadNodes().Single().LastSeen;
        _time.Advance(TimeSpan.FromSeconds(50));
        registry.OnHealth("n1", Health());
        await registry.FlushAsync();
        var storedLater = store.LoadNodes().Single().LastSeen;

        Assert.Equal(hello + TimeSpan.FromSeconds(10), inMemory);
        Assert.Equal(hello, storedEarly);
        Assert.Equal(hello + TimeSpan.FromSeconds(60), storedLater);
    }

    [Fact]
    public void OnHealth_UnknownNode_IsIgnored()
    {
        var registry = new FleetRegistry(new FleetOptions(), _time);

        Assert.False(registry.OnHealth("ghost", Health()));
        Assert.Empty(registry.List());
    }

    [Fact]
    public async Task OnDisconnected_OldStreamEndsAfterTheNewOnesHello_NodeStaysConnectedUntilTheNewOneEnds()
    {
        // An agent that gave up on a silent connection dials again; the old stream's end is seen after the new Hello.
        var registry = new FleetRegistry(new FleetOptions(), _time);
        object oldStream = new(), newStream = new();
        await registry.OnHelloAsync(Node("n1"), oldStream);
        await registry.OnHelloAsync(Node("n1"), newStream);

        await registry.OnDisconnectedAsync("n1", oldStream);
        Assert.True(registry.Get("n1")!.Connected);

        await registry.OnDisconnectedAsync("n1", newStream);
        Assert.False(registry.Get("n1")!.Connected);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
