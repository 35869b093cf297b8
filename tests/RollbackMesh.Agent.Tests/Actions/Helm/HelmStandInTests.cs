using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Helm;

/// <summary>helm cannot run here (no cluster): <see cref="HelmStandIn"/> behaves as helm 3 documents; steps go through StepRunner.</summary>
public sealed class HelmStandInTests : IDisposable
{
    private readonly AgentHarness _h;
    private readonly string _log;
    private readonly string _state;

    public HelmStandInTests()
    {
        string? helm = null;
        _h = new AgentHarness(o => o with { Tools = o.Tools with { Helm = helm = Path.Combine(o.AllowedRoots[0], "bin/helm") } });
        _log = _h.Root["helm.log"];
        _state = _h.Root.Dir("helm-state");
        HelmStandIn.Write(helm!, _log, _state);
        File.WriteAllText(_h.Options.DefaultKubeconfig, "apiVersion: v1\nkind: Config\n");
        HelmStandIn.Release(
            _state, "cattle-system", "rancher",
            ("rancher-2.6.3", "v2.6.3", "Install complete"),
            ("rancher-2.6.4", "v2.6.4", "Upgrade complete"),
            ("rancher-2.6.5", "v2.6.5", "Upgrade complete"),
            ("rancher-2.6.6", "v2.6.6", "Upgrade complete"));
    }

    [Fact]
    public async Task HelmHistory_StandInRelease_SummaryIsTheRevisionTable()
    {
        var result = await RunAsync(new V1.Action { HelmHistory = new V1.HelmHistory { Release = "rancher" } });

        Assert.Equal(V1.StepState.Succeeded, result.State);
        var lines = result.Summary.Split('\n');
        Assert.Equal(["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"], lines[0].Split('\t').Select(c => c.Trim()));
        Assert.Equal(5, lines.Length);
        Assert.Equal(["4", "deployed", "rancher-2.6.6"], lines[4].Split('\t').Select(c => c.Trim()).Where((_, i) => i is 0 or 2 or 3));
        Assert.Equal([$"history rancher -n cattle-system --kubeconfig {_h.Options.DefaultKubeconfig}"], StandIns.Calls(_log));
    }

    [Fact]
    public async Task HelmHistory_StandInUnknownRelease_FailedWithHelmsError()
    {
        var result = await RunAsync(new V1.Action { HelmHistory = new V1.HelmHistory { Release = "rancher", Namespace = "default" } });

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains("exited 1: Error: release: not found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelmRollback_StandInToRevision2_NewDeployedRevisionOfThatChart()
    {
        var result = await RunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher", Revision = 2 } });

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal("Rollback was a success! Happy Helming!", result.Summary);
        Assert.Equal(
            [$"history rancher -n cattle-system --kubeconfig {_h.Options.DefaultKubeconfig}", $"rollback rancher 2 -n cattle-system --kubeconfig {_h.Options.DefaultKubeconfig}"],
            StandIns.Calls(_log));
        var revisions = HelmStandIn.Revisions(_state, "cattle-system", "rancher");
        Assert.Equal((5, "deployed", "rancher-2.6.4", "Rollback to 2"), revisions[^1]);
        Assert.Equal("superseded", revisions[3].Status);
    }

    [Fact]
    public async Task HelmRollback_StandInRevision0_NoRevisionArgumentAndPreviousRevisionDeployed()
    {
        var result = await RunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher", Revision = 0 } });

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal(
            [$"history rancher -n cattle-system --kubeconfig {_h.Options.DefaultKubeconfig}", $"rollback rancher -n cattle-system --kubeconfig {_h.Options.DefaultKubeconfig}"],
            StandIns.Calls(_log));
        Assert.Equal((5, "deployed", "rancher-2.6.5", "Rollback to 3"), HelmStandIn.Revisions(_state, "cattle-system", "rancher")[^1]);
    }

    [Fact]
    public async Task HelmRollback_StandInRevision0SecondAttempt_AlreadyDoneAndNeverUpgradesAgain()
    {
        var rollback = new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher", Revision = 0 } };
        Assert.Equal(V1.StepState.Succeeded, (await RunAsync(rollback)).State);

        // A retry or a new run sends the step again under another id, so the journal cannot answer for it.
        var second = await RunAsync(rollback, "step-2");

        Assert.Equal(V1.StepState.Skipped, second.State);
        Assert.True(second.AlreadyDone);
        Assert.Single(StandIns.Calls(_log), c => c.StartsWith("rollback ", StringComparison.Ordinal));
        var revisions = HelmStandIn.Revisions(_state, "cattle-system", "rancher");
        Assert.Equal(5, revisions.Count);
        Assert.Equal((5, "deployed", "rancher-2.6.5", "Rollback to 3"), revisions[^1]);
    }

    [Fact]
    public async Task HelmRollback_StandInRevision2SecondAttempt_AlreadyDone()
    {
        var rollback = new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher", Revision = 2 } };
        Assert.Equal(V1.StepState.Succeeded, (await RunAsync(rollback)).State);

        var second = await RunAsync(rollback, "step-2");

        Assert.Equal(V1.StepState.Skipped, second.State);
        Assert.Equal(5, HelmStandIn.Revisions(_state, "cattle-system", "rancher").Count);
    }

    [Fact]
    public async Task HelmRollback_StandInUpgradedAgainAfterARollback_RollsBackAgain()
    {
        HelmStandIn.Release(
            _state, "cattle-system", "rancher",
            ("rancher-2.6.5", "v2.6.5", "Install complete"),
            ("rancher-2.6.6", "v2.6.6", "Upgrade complete"),
            ("rancher-2.6.5", "v2.6.5", "Rollback to 1"),
            ("rancher-2.6.6", "v2.6.6", "Upgrade complete"));

        var result = await RunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher", Revision = 0 } });

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal((5, "deployed", "rancher-2.6.5", "Rollback to 3"), HelmStandIn.Revisions(_state, "cattle-system", "rancher")[^1]);
    }

    [Fact]
    public async Task HelmRollback_StandInLatestIsARollbackToAnotherRevision_RollsBackToTheRequestedOne()
    {
        HelmStandIn.Release(
            _state, "cattle-system", "rancher",
            ("rancher-2.6.4", "v2.6.4", "Install complete"),
            ("rancher-2.6.5", "v2.6.5", "Upgrade complete"),
            ("rancher-2.6.6", "v2.6.6", "Upgrade complete"),
            ("rancher-2.6.5", "v2.6.5", "Rollback to 2"));

        var result = await RunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher", Revision = 1 } });

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal((5, "deployed", "rancher-2.6.4", "Rollback to 1"), HelmStandIn.Revisions(_state, "cattle-system", "rancher")[^1]);
    }

    [Fact]
    public async Task DryRun_StandInHelmRollbackAlreadyDone_PlanSaysItWillNotRollBackAgain()
    {
        await RunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher" } });

        var result = await DryRunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher" } });

        Assert.Equal("already done: revision 5 (rancher-2.6.5) is the rollback to 3; the step will not roll back again", result.DryRun.Split('\n')[1]);
    }

    [Fact]
    public async Task HelmRollback_StandInUnknownRevision_FailedAndHistoryUnchanged()
    {
        var result = await RunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher", Revision = 9 } });

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains("Error: release: not found", result.Error, StringComparison.Ordinal);
        Assert.Equal(4, HelmStandIn.Revisions(_state, "cattle-system", "rancher").Count);
    }

    [Fact]
    public async Task DryRun_StandInHelmHistory_PlanShowsTheRevisionTable()
    {
        var result = await DryRunAsync(new V1.Action { HelmHistory = new V1.HelmHistory { Release = "rancher" } });

        Assert.Equal(V1.StepState.Succeeded, result.State);
        var lines = result.DryRun.Split('\n');
        Assert.Equal($"{_h.Options.Tools.Helm} history rancher -n cattle-system --kubeconfig {_h.Options.DefaultKubeconfig}", lines[0]);
        Assert.StartsWith("REVISION", lines[1], StringComparison.Ordinal);
        Assert.Equal(6, lines.Length);
        Assert.Contains("rancher-2.6.3", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_StandInHelmRollbackRevision0_PlanNamesThePreviousRevisionAndShowsHistoryWithoutRollingBack()
    {
        var result = await DryRunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher" } });

        Assert.Equal(V1.StepState.Succeeded, result.State);
        var lines = result.DryRun.Split('\n');
        Assert.Equal($"{_h.Options.Tools.Helm} rollback rancher -n cattle-system --kubeconfig {_h.Options.DefaultKubeconfig}", lines[0]);
        Assert.Equal("rolls back to revision 3: rancher-2.6.5 (app v2.6.5, Upgrade complete); now at revision 4: rancher-2.6.6", lines[1]);
        Assert.StartsWith("REVISION", lines[2], StringComparison.Ordinal);
        Assert.Equal([$"history rancher -n cattle-system --kubeconfig {_h.Options.DefaultKubeconfig}"], StandIns.Calls(_log));
        Assert.Equal(4, HelmStandIn.Revisions(_state, "cattle-system", "rancher").Count);
    }

    [Fact]
    public async Task DryRun_StandInHelmRollbackUnknownRevision_PlanSaysItWouldFail()
    {
        var result = await DryRunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher", Revision = 9 } });

        Assert.Equal("revision 9 is not in the history below: the rollback would fail", result.DryRun.Split('\n')[1]);
    }

    [Fact]
    public async Task DryRun_StandInHelmRollbackReleaseGone_PlanSaysThereIsNoHistory()
    {
        var result = await DryRunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = "rancher", Namespace = "default" } });

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal("(no history: Error: release: not found)", result.DryRun.Split('\n')[1]);
    }

    private async Task<V1.StepResult> DryRunAsync(V1.Action action)
    {
        var (runner, journal) = _h.Runner();
        using (journal)
        {
            return await runner.RunAsync(new V1.StepCommand { RunId = "dryrun-helm", StepId = "step-1", Action = action, DryRun = true }, _ => { }, CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("rancher --dry-run", "cattle-system")]
    [InlineData("rancher", "cattle-system --all-namespaces")]
    [InlineData("Rancher", "cattle-system")]
    public async Task HelmRollback_NameThatIsNotADnsLabel_RefusedAndHelmNeverRuns(string release, string ns)
    {
        var result = await RunAsync(new V1.Action { HelmRollback = new V1.HelmRollback { Release = release, Namespace = ns } });

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Empty(StandIns.Calls(_log));
    }

    private async Task<V1.StepResult> RunAsync(V1.Action action, string stepId = "step-1")
    {
        var (runner, journal) = _h.Runner();
        using (journal)
        {
            return await runner.RunAsync(new V1.StepCommand { RunId = "run-helm", StepId = stepId, Action = action }, _ => { }, CancellationToken.None);
        }
    }

    public void Dispose() => _h.Dispose();
}
