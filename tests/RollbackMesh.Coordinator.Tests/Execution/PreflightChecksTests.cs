using System.Collections.Immutable;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class PreflightChecksTests
{
    private static readonly ExecutorOptions Options = new() { QuarantinePath = "/var/lib/configured/quarantine", MinQuarantineFreeBytes = 1000 };

    [Fact]
    public void CheckNode_AgentNamesItsQuarantine_ItsDiskIsChecked()
    {
        var view = View(facts: new() { [PreflightChecks.QuarantinePathFact] = "/srv/agent/quarantine" },
            new DiskSpace("/", 10, 1_000_000), new DiskSpace("/srv/agent/quarantine", 5000, 1_000_000));

        Assert.Null(PreflightChecks.CheckNode("n1", view, Options));
    }

    [Fact]
    public void CheckNode_AgentsQuarantineDiskTooFull_ProblemNamesThatPath()
    {
        var view = View(facts: new() { [PreflightChecks.QuarantinePathFact] = "/srv/agent/quarantine" },
            new DiskSpace("/var/lib", 1_000_000, 1_000_000), new DiskSpace("/srv/agent/quarantine", 10, 1_000_000));

        var problem = PreflightChecks.CheckNode("n1", view, Options);

        Assert.NotNull(problem);
        Assert.Contains("/srv/agent/quarantine", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckNode_NoQuarantineFact_FallsBackToTheConfiguredPath()
    {
        var view = View(facts: [], new DiskSpace("/srv", 1_000_000, 1_000_000));

        var problem = PreflightChecks.CheckNode("n1", view, Options);

        Assert.Equal("n1: reports no disk holding the quarantine /var/lib/configured/quarantine", problem);
    }

    private static NodeView View(Dictionary<string, string> facts, params DiskSpace[] disks)
    {
        var identity = new NodeIdentity("n1", ["agent"], ImmutableSortedDictionary<string, string>.Empty, "0.1.0", [],
            facts.ToImmutableSortedDictionary(StringComparer.Ordinal));
        var now = DateTimeOffset.UnixEpoch;
        var health = new NodeHealth(now, now, true, [], [], ImmutableSortedDictionary<string, string>.Empty, [.. disks], "none");
        return new NodeView(identity, now, Connected: true, Stale: false, health);
    }
}
