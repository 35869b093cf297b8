using System.Diagnostics;
using RollbackMesh.Demo.Sandbox;
using RollbackMesh.Demo;
using RollbackMesh.FunctionalTests.Infrastructure;
using RollbackMesh.V1;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Fleet;

/// <summary>
/// The K3s embedded-etcd rollback runbook end to end with the real coordinator and 5 real agent processes on a sandbox
/// fleet (3 servers, 2 agents; stand-in k3s/kubectl/systemd, real etcd snapshot and trial restore), checked from the
/// agents' journals, the stand-in service logs and the sandbox file systems.
/// </summary>
public sealed class K3sEmbeddedEtcdFleetTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(6);

    // realEtcd true: the real etcd makes the snapshot and restores it (fails loudly when etcd is not installed);
    // false: the stand-in etcdctl and snapshot the demo uses on a machine without etcd.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_FiveStandInNodes_FollowsTheDocumentedOrderAndQuarantinesDbDirectories(bool realEtcd)
    {
        using var state = new StateDirectory("rm-fleet-k3s-");
        var clock = Stopwatch.StartNew();
        await using var host = await SandboxFleetHost.StartAsync(state.Path, 3, 2, output.WriteLine, CancellationToken.None, realEtcd: realEtcd);
        Assert.Equal(realEtcd, host.Fleet.RealEtcd);
        await host.WaitForAgentsAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        output.WriteLine($"fleet up in {clock.Elapsed.TotalSeconds:0.0} s");

        var run = await FleetRunDriver.StartAsync(host, DemoRunner.Runbook, host.Fleet.K3sRollbackParameters, CancellationToken.None);
        var final = await FleetRunDriver.FinishAsync(host, run.RunId, RunTimeout, CancellationToken.None);
        output.WriteLine($"run {final.RunId} {final.State} after {clock.Elapsed.TotalSeconds:0.0} s: {final.Message}");
        Assert.True(final.State == RunState.Succeeded, $"{final.State}: {final.Message}");

        var rows = SandboxJournals.Read(host.Fleet, run.RunId);
        Assert.All(final.Steps, s => Assert.Single(rows, r => r.StepId == s.StepId && r.Node == s.Node));
        JournalRow Row(string phase, string node, string step) => Assert.Single(rows, r => r.StepId == $"{phase}/{node}/{step}");

        // As kubectl drain N1 N2 ... does: every node cordoned before pods are evicted from any.
        var lastCordon = host.Fleet.Nodes.Max(n => Row("cordon", "server-1", $"cordon@{n.Name}").FinishedAt);
        Assert.All(host.Fleet.Nodes, n => Assert.True(Row("drain", "server-1", $"drain@{n.Name}").StartedAt >= lastCordon));

        // The first server's cluster reset, its start and readiness come before any other server starts.
        var reset = Row("restore", "server-1", "cluster-reset");
        var firstReady = Row("restore", "server-1", "wait-ready");
        var otherStarts = new[] { "server-2", "server-3" }.Select(n => Row("rejoin-servers", n, "start")).ToList();
        Assert.All(otherStarts, s => Assert.True(s.StartedAt >= firstReady.FinishedAt && firstReady.StartedAt >= reset.FinishedAt));
        Assert.True(ServiceJobs(host.Fleet, "server-1").Single(j => j.Line.StartsWith("start k3s", StringComparison.Ordinal)).At
            <= new[] { "server-2", "server-3" }.Min(n => ServiceJobs(host.Fleet, n).Single(j => j.Line.StartsWith("start k3s", StringComparison.Ordinal)).At));

        // Killall everywhere before any binary is installed; agents start last.
        var lastKill = host.Fleet.Nodes.Max(n => Row("stop", n.Name, "killall").FinishedAt);
        Assert.All(rows.Where(r => r.StepId.StartsWith("install/", StringComparison.Ordinal)), r => Assert.True(r.StartedAt >= lastKill));
        var serversStarted = new[] { Row("restore", "server-1", "start") }.Concat(otherStarts).Max(r => r.FinishedAt);
        Assert.All(new[] { "agent-1", "agent-2" }, a => Assert.True(Row("start-agents", a, "start").StartedAt >= serversStarted));

        // Other servers' db directories moved into quarantine, never deleted; the first server's etcd restored from the snapshot.
        foreach (var name in new[] { "server-2", "server-3" })
        {
            var node = host.Fleet.Nodes.Single(n => n.Name == name);
            Assert.False(Directory.Exists(node.HostPath("/var/lib/rancher/k3s/server/db")));
            var moved = Directory.EnumerateFiles(node.HostPath(StandInContract.QuarantinePath), "db", SearchOption.AllDirectories)
                .Single(f => f.EndsWith("/etcd/member/snap/db", StringComparison.Ordinal));
            Assert.Equal($"stand-in etcd member data of {name}\n", File.ReadAllText(moved));
        }

        var first = host.Fleet.FirstServer;
        Assert.True(File.Exists(first.HostPath("/var/lib/rancher/k3s/server/db/reset-flag")));
        Assert.True(Directory.Exists(first.HostPath("/var/lib/rancher/k3s/server/db/etcd/member")));
        Assert.Equal(realEtcd, !File.ReadAllText(first.HostPath("/var/lib/rancher/k3s/server/db/etcd/member/snap/db")).StartsWith(EtcdStandIn.Magic, StringComparison.Ordinal));
        Assert.Single(Directory.EnumerateDirectories(first.HostPath("/var/lib/rancher/k3s/server/db"), "etcd-old-*"));

        // Every node now runs the previous release, and its K3s unit is active again.
        foreach (var node in host.Fleet.Nodes)
        {
            Assert.Contains($"k3s version {K3sRelease.Previous.Version}", Run(node.HostPath("/usr/local/bin/k3s"), "--version"), StringComparison.Ordinal);
            Assert.StartsWith("active", File.ReadAllText(node.HostPath(StandInContract.UnitStateFile(node.K3sUnit))), StringComparison.Ordinal);
        }

        output.WriteLine($"checked in {clock.Elapsed.TotalSeconds:0.0} s; {rows.Count} journal rows");
        state.Passed = true;
    }

    private static List<(long At, string Line)> ServiceJobs(SandboxFleet fleet, string node)
    {
        var log = fleet.Nodes.Single(n => n.Name == node).HostPath(StandInContract.ServiceJobLog);
        return File.ReadLines(log).Select(l => l.Split(' ', 2)).Select(p => (long.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p[1])).ToList();
    }

    private static string Run(string file, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(file, argument) { RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text;
    }
}
