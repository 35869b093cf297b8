using System.Diagnostics;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.FunctionalTests.Calico;
using RollbackMesh.FunctionalTests.Infrastructure;
using RollbackMesh.V1;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// The calico-downgrade-openstack-ubuntu runbook on three real nodes: the coordinator on the host, the packaged agent
/// as the real systemd service in each of the testbed's containers (control, compute, compute), real apt and dpkg
/// with the stand-in Calico packages, and neutron-server restarted as a real unit over D-Bus. One compute node's agent
/// is SIGKILLed between its steps while the control node works; systemd restarts it and the run still completes with
/// every step executed once.
/// </summary>
[Collection(NspawnCollection.Name)]
public sealed class CalicoDowngradeNspawnTests(NspawnTestbed testbed, ITestOutputHelper output)
{
    private const string Runbook = "calico-downgrade-openstack-ubuntu";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    [NspawnFact]
    public async Task Run_UbuntuRunbookOnThreeContainersWithAgentKilled_CompletesOnceEach()
    {
        var clock = Stopwatch.StartNew();
        Assert.All(testbed.AgentInstallResults, r => r.EnsureSuccess());
        using var state = new StateDirectory("rm-calico-nspawn-");
        using var repo = new AptRepoFixture(CalicoPackages.Ubuntu);
        using var coordinator = TestProcess.Start("coordinator", BuiltExecutables.Coordinator,
            ["serve", "--insecure", "--listen", "0.0.0.0:0", "--data", Path.Combine(state.Path, "coordinator")]);
        var listening = await coordinator.WaitForStdoutLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        var port = new Uri(listening["listening on ".Length..].Trim()).Port;
        var local = new Uri($"http://127.0.0.1:{port}");

        var nodes = testbed.Containers.Select((c, i) => new CalicoContainerNode(i == 0 ? "control-1" : $"compute-{i}", i == 0 ? "control" : "compute", c)).ToArray();
        try
        {
            await Task.WhenAll(nodes.Select(n => n.PrepareAsync(repo.Repo, port)));
            output.WriteLine($"testbed set-up: {string.Join(", ", testbed.SetupTimes.Select(t => $"{t.Key} {t.Value.TotalSeconds:0.0} s"))}");
            output.WriteLine($"nodes prepared (repo copied, 3.1.0 installed, units, agents started) at {clock.Elapsed.TotalSeconds:0.0} s");
            await OperatorRun.WaitForAgentsAsync(local, [.. nodes.Select(n => n.Name)], TimeSpan.FromSeconds(120));
            output.WriteLine($"agents connected at {clock.Elapsed.TotalSeconds:0.0} s");
            await RunAndCheckAsync(nodes, local, state.Path, clock);
            state.Passed = true;
        }
        finally
        {
            coordinator.Dispose();
            output.WriteLine("--- coordinator ---\n" + coordinator.Output);
            foreach (var node in nodes)
            {
                output.WriteLine($"--- agent {node.Name} ({node.Container.Name}) journal ---\n" + string.Join('\n', await node.AgentLogAsync()));
            }
        }
    }

    private async Task RunAndCheckAsync(CalicoContainerNode[] nodes, Uri local, string state, Stopwatch clock)
    {
        var control = nodes[0];
        var victim = nodes[1];
        var neutronPid = await control.Container.GetUnitPropertyAsync(control.Unit, "MainPID");
        var neutronSince = await control.Container.GetUnitPropertyAsync(control.Unit, "ActiveEnterTimestampMonotonic");
        var agentPid = await victim.Container.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "MainPID");

        var run = await OperatorRun.StartAsync(local, Runbook, CalicoSandboxFleet.Parameters(CalicoContainerNode.CalicoctlArtifact), TimeSpan.FromSeconds(90));
        var runClock = Stopwatch.StartNew();

        // Kill compute-1's agent once its repository step is done, while the control node works and before any compute step.
        RunStatus seen;
        do
        {
            Assert.True(runClock.Elapsed < RunTimeout, $"repository/{victim.Name}/remove-3-1-sources did not succeed within {RunTimeout}");
            await Task.Delay(100);
            seen = await OperatorRun.GetAsync(local, run.RunId);
            Assert.DoesNotContain(seen.State, new[] { RunState.Failed, RunState.Aborted, RunState.Succeeded });
        }
        while (!seen.Steps.Any(s => s.StepId == $"repository/{victim.Name}/remove-3-1-sources" && s.State == StepState.Succeeded));

        await victim.Container.KillAgentAsync();
        var killedAt = runClock.Elapsed;
        var atKill = await OperatorRun.GetAsync(local, run.RunId);
        output.WriteLine($"killed {victim.Name}'s agent (pid {agentPid}) at {killedAt.TotalSeconds:0.0} s into the run; running then: "
            + string.Join(", ", atKill.Steps.Where(s => s.State == StepState.Running).Select(s => s.StepId)));
        Assert.DoesNotContain(atKill.Steps, s => s.StepId.StartsWith($"compute/{victim.Name}/", StringComparison.Ordinal) && s.State != StepState.Pending);

        var final = await OperatorRun.FinishAsync(local, run.RunId, RunTimeout);
        output.WriteLine($"run {final.RunId} {final.State} in {runClock.Elapsed.TotalSeconds:0.0} s (test at {clock.Elapsed.TotalSeconds:0.0} s): {final.Message}");
        foreach (var step in final.Steps)
        {
            output.WriteLine($"  {step.StepId} {step.State} {step.Summary}{step.Error}");
        }

        Assert.True(final.State == RunState.Succeeded, $"{final.State}: {final.Message}");

        // systemd restarted the killed agent.
        Assert.NotEqual("0", await victim.Container.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "NRestarts"));
        Assert.NotEqual(agentPid, await victim.Container.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "MainPID"));

        // neutron-server was really restarted by systemd: a new main process, a later activation.
        Assert.Equal("active", await control.Container.GetUnitPropertyAsync(control.Unit, "ActiveState"));
        Assert.NotEqual(neutronPid, await control.Container.GetUnitPropertyAsync(control.Unit, "MainPID"));
        Assert.True(long.Parse(await control.Container.GetUnitPropertyAsync(control.Unit, "ActiveEnterTimestampMonotonic"), System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(neutronSince, System.Globalization.CultureInfo.InvariantCulture));

        var journals = Directory.CreateDirectory(Path.Combine(state, "journals")).FullName;
        var rows = new List<JournalRow>();
        foreach (var node in nodes)
        {
            var installed = await node.InstalledAsync();
            output.WriteLine($"{node.Name}: {installed.Replace('\n', ';')}");
            Assert.All(node.Packages, p => Assert.Contains($"{p} 2.6.5~trusty\n", installed, StringComparison.Ordinal));
            Assert.False(await node.Container.ExistsAsync("/etc/apt/" + CalicoPackages.Apt31List));
            if (!node.IsControl)
            {
                var felix = await node.Container.ReadFileAsync("/etc/calico/felix.cfg");
                Assert.DoesNotContain("DatastoreType", felix, StringComparison.Ordinal);
                Assert.Contains("EtcdEndpoints = http://10.0.0.10:2379", felix, StringComparison.Ordinal);
                var backup = (await node.Container.ShellAsync("cat /var/lib/rollbackmesh-agent/backup/*-etc_calico_felix.cfg")).EnsureSuccess().StandardOutput;
                Assert.Equal(CalicoPackages.FelixConfig, backup);
            }

            // No step ran twice: the agent's own log says "started" once per step of the run, and the journal has one row each.
            var log = await node.AgentLogAsync();
            var mine = final.Steps.Where(s => s.Node == node.Name && s.State == StepState.Succeeded).ToList();
            Assert.All(mine, s => Assert.Equal(1, log.Count(l => l.Contains($"Step run {run.RunId} step {s.StepId} (", StringComparison.Ordinal)
                && l.EndsWith(") started", StringComparison.Ordinal))));
            (await node.Container.SystemctlAsync("stop", NspawnTestbed.AgentUnit)).EnsureSuccess();
            var nodeRows = NodeJournal.Read(node.Name, node.CopyJournalOut(journals), run.RunId);
            Assert.All(mine, s => Assert.Single(nodeRows, r => r.StepId == s.StepId));
            Assert.All(nodeRows, r => Assert.Equal(SandboxJournals.Succeeded, r.Status));
            rows.AddRange(nodeRows);
        }

        // Control (including the neutron-server restart) finished before any compute step started.
        var controlRows = rows.Where(r => r.StepId.StartsWith("control/", StringComparison.Ordinal)).ToList();
        var computeRows = rows.Where(r => r.StepId.StartsWith("compute/", StringComparison.Ordinal)).ToList();
        Assert.Contains(controlRows, r => r.StepId == $"control/{control.Name}/restart-neutron-server");
        Assert.True(controlRows.Max(r => r.FinishedAt!.Value) <= computeRows.Min(r => r.StartedAt));
        output.WriteLine($"checked at {clock.Elapsed.TotalSeconds:0.0} s; {rows.Count} journal rows");
    }
}
