using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Planning;

public sealed class PlanPrinterTests
{
    [Fact]
    public void Render_EmbeddedEtcd_ShowsPhasesWavesStepsArgumentsAndDryRun()
    {
        var parameters = BuiltInParameters.ByRunbook["k3s-rollback-embedded-etcd"].Add("token", "s3cret");
        var plan = new RunbookPlanner().CreatePlan(RunbookCatalog.Load().Get("k3s-rollback-embedded-etcd"), parameters, TestFleets.K3s(2, 1));

        var text = PlanPrinter.Render(plan, step => step.Name == "move-db-aside" ? "mv /var/lib/rancher/k3s/server/db -> quarantine\nsecond line" : null);

        Assert.Contains($"Hash: {plan.Hash}", text, StringComparison.Ordinal);
        Assert.Contains("Phase 1: cordon [first-server;", text, StringComparison.Ordinal);
        Assert.Contains("Phase 2: drain [first-server;", text, StringComparison.Ordinal);
        Assert.Contains("Phase 3: stop [all; parallel, at most 50 at once; failure budget 0]", text, StringComparison.Ordinal);
        Assert.Contains("  Wave 1: server-1\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("- cluster-reset: k3s_cluster_reset snapshot_path=/var/lib/rancher/k3s/server/db/snapshots/pre-upgrade token=*** (timeout 2h) IRREVERSIBLE APPROVAL REQUIRED", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Contains("- start: service unit=k3s operation=start (timeout 10m)", text, StringComparison.Ordinal);
        Assert.Contains("    | second line", text, StringComparison.Ordinal);
        Assert.Contains("id rejoin-servers/server-2/move-db-aside", text, StringComparison.Ordinal);
        Assert.Contains("Gate (within 10m): unit k3s active; nodes healthy", text, StringComparison.Ordinal);
        Assert.Contains("- server-1: snapshot-trial-restore: etcd_snapshot_verify", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyOptionalPhase_SaysSkipped()
    {
        var plan = new RunbookPlanner().CreatePlan(RunbookCatalog.Load().Get("noop"), new Dictionary<string, string>(), TestFleets.K3s(1, 0));

        var text = PlanPrinter.Render(plan);

        Assert.Contains("Phase 3: agents [agents; parallel, at most 100 at once; failure budget 5]\n  (no nodes: skipped)", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
