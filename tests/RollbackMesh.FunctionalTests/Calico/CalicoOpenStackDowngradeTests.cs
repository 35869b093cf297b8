using System.Diagnostics;
using RollbackMesh.Demo.Sandbox;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.FunctionalTests.Infrastructure;
using RollbackMesh.V1;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Calico;

/// <summary>
/// The calico-downgrade-openstack-ubuntu and -centos runbooks end to end: the real coordinator, three real agent
/// processes (control-1, compute-1, compute-2) in sandbox mode whose roots are real isolated apt roots / dnf
/// installroots with stand-in Calico 3.1.0 packages installed, neutron-server and calico-felix as units of the
/// sandbox's stand-in service controller. Checked afterwards with dpkg-query / rpm --root, the files and the journals.
/// </summary>
public sealed class CalicoOpenStackDowngradeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Run_UbuntuStandInAptRoots_DowngradesTo26ControlBeforeCompute()
    {
        var clock = Stopwatch.StartNew();
        using var state = new StateDirectory("rm-calico-ubuntu-");
        using var repo = new AptRepoFixture(CalicoPackages.Ubuntu);
        using var fleet = await CalicoFleetProcesses.StartCoordinatorAsync(output);
        var nodes = await CalicoSandboxFleet.BuildUbuntuAsync(state.Path, repo, fleet.Coordinator.Address);
        output.WriteLine($"repo and 3 apt roots with 3.1.0 in {clock.Elapsed.TotalSeconds:0.0} s");
        await fleet.StartAgentsAsync(nodes, AgentTimeout);

        var rows = await RunAsync(fleet, nodes, "calico-downgrade-openstack-ubuntu", clock);

        foreach (var node in nodes)
        {
            var packages = node.IsControl ? CalicoPackages.UbuntuControl : CalicoPackages.UbuntuCompute;
            var installed = Sh.Run("/usr/bin/dpkg-query", [$"--admindir={node.HostPath("/var/lib/dpkg")}", "-W", "-f=${Package} ${Version}\n", .. packages], null);
            output.WriteLine($"{node.Name}: {installed.Replace('\n', ';')}");
            Assert.All(packages, p => Assert.Contains($"{p} 2.6.5~trusty\n", installed, StringComparison.Ordinal));

            // The 3.1 list is in quarantine, not deleted; the 2.6 list stays.
            Assert.False(File.Exists(node.HostPath("/etc/apt/" + CalicoPackages.Apt31List)));
            Assert.True(File.Exists(node.HostPath("/etc/apt/" + CalicoPackages.Apt26List)));
            Assert.Contains(Directory.EnumerateFiles(node.HostPath(StandInContract.QuarantinePath), "*", SearchOption.AllDirectories),
                f => f.EndsWith("_" + Path.GetFileName(CalicoPackages.Apt31List), StringComparison.Ordinal) && File.ReadAllText(f).Contains("/3.1 ./", StringComparison.Ordinal));
        }

        AssertCommon(nodes, rows);
        state.Passed = true;
    }

    [Fact]
    public async Task Run_CentosStandInDnfInstallroots_DowngradesTo26ControlBeforeCompute()
    {
        var clock = Stopwatch.StartNew();
        using var state = new StateDirectory("rm-calico-centos-");
        using var repo = new DnfRepoFixture(CalicoPackages.Centos);
        using var fleet = await CalicoFleetProcesses.StartCoordinatorAsync(output);
        var nodes = await CalicoSandboxFleet.BuildCentosAsync(state.Path, repo, fleet.Coordinator.Address);
        output.WriteLine($"repos and 3 dnf installroots with 3.1.0 in {clock.Elapsed.TotalSeconds:0.0} s");
        await fleet.StartAgentsAsync(nodes, AgentTimeout);

        var rows = await RunAsync(fleet, nodes, "calico-downgrade-openstack-centos", clock);

        foreach (var node in nodes)
        {
            var packages = node.IsControl ? CalicoPackages.CentosControl : CalicoPackages.CentosCompute;
            var installed = Sh.Run("/usr/bin/rpm", [$"--root={node.Root}", "-q", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\n", .. packages], null);
            output.WriteLine($"{node.Name}: {installed.Replace('\n', ';')}");
            Assert.All(packages, p => Assert.Contains($"{p} 2.6.5-1\n", installed, StringComparison.Ordinal));
            var repoFile = File.ReadAllText(node.HostPath("/etc/yum.repos.d/calico.repo"));
            Assert.Contains("/calico-2.6\n", repoFile, StringComparison.Ordinal);
            Assert.DoesNotContain("calico-3.1", repoFile, StringComparison.Ordinal);
        }

        AssertCommon(nodes, rows);
        state.Passed = true;
    }

    private async Task<List<JournalRow>> RunAsync(CalicoFleetProcesses fleet, CalicoNode[] nodes, string runbook, Stopwatch clock)
    {
        output.WriteLine($"agents connected after {clock.Elapsed.TotalSeconds:0.0} s");
        var run = await OperatorRun.StartAsync(fleet.Coordinator.Address, runbook, CalicoSandboxFleet.Parameters(), TimeSpan.FromSeconds(60));
        var runClock = Stopwatch.StartNew();
        var final = await OperatorRun.FinishAsync(fleet.Coordinator.Address, run.RunId, RunTimeout);
        output.WriteLine($"run {final.RunId} {final.State} in {runClock.Elapsed.TotalSeconds:0.0} s (test at {clock.Elapsed.TotalSeconds:0.0} s): {final.Message}");
        foreach (var step in final.Steps)
        {
            output.WriteLine($"  {step.StepId} {step.State} {step.Summary}{step.Error}");
        }

        Assert.True(final.State == RunState.Succeeded, $"{final.State}: {final.Message}");
        var rows = nodes.SelectMany(n => NodeJournal.Read(n.Name, n.HostPath(StandInContract.JournalPath), run.RunId)).ToList();

        // Every step the coordinator ran is journaled exactly once on its node.
        Assert.All(final.Steps.Where(s => s.State == StepState.Succeeded), s => Assert.Single(rows, r => r.StepId == s.StepId && r.Node == s.Node));
        return rows;
    }

    private static void AssertCommon(CalicoNode[] nodes, List<JournalRow> rows)
    {
        // Control finished (including its neutron-server restart) before any compute step started.
        var control = rows.Where(r => r.StepId.StartsWith("control/", StringComparison.Ordinal)).ToList();
        var compute = rows.Where(r => r.StepId.StartsWith("compute/", StringComparison.Ordinal)).ToList();
        Assert.Contains(control, r => r.StepId == "control/control-1/restart-neutron-server");
        Assert.Equal(2, compute.Select(r => r.Node).Distinct().Count());
        Assert.True(control.Max(r => r.FinishedAt!.Value) <= compute.Min(r => r.StartedAt),
            $"control ended {control.Max(r => r.FinishedAt)}, first compute step started {compute.Min(r => r.StartedAt)}");
        Assert.All(rows, r => Assert.Equal(SandboxJournals.Succeeded, r.Status));

        foreach (var node in nodes)
        {
            if (node.IsControl)
            {
                var jobs = File.ReadAllText(node.HostPath(StandInContract.ServiceJobLog));
                Assert.Contains("restart neutron-server done active", jobs, StringComparison.Ordinal);
                Assert.Contains("calicoctl version v2.6.5", File.ReadAllText(node.HostPath("/usr/local/bin/calicoctl")), StringComparison.Ordinal);
                continue;
            }

            // felix.cfg lost DatastoreType = etcdv3 and kept the rest; the original is backed up.
            var felix = File.ReadAllText(node.HostPath("/etc/calico/felix.cfg"));
            Assert.DoesNotContain("DatastoreType", felix, StringComparison.Ordinal);
            Assert.Contains("EtcdEndpoints = http://10.0.0.10:2379", felix, StringComparison.Ordinal);
            Assert.Contains(Directory.EnumerateFiles(node.Root, "*felix.cfg", SearchOption.AllDirectories),
                f => f != node.HostPath("/etc/calico/felix.cfg") && File.ReadAllText(f) == CalicoPackages.FelixConfig);
        }
    }
}
