using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Helm;

/// <summary>rancher-cleanup needs a cluster: <see cref="RancherCleanupStandIn"/> behaves as its repository documents.</summary>
public sealed class RancherCleanupStandInTests : IDisposable
{
    private readonly AgentHarness _h = new();
    private readonly string _scripts;
    private readonly string _log;
    private readonly string _state;

    public RancherCleanupStandInTests()
    {
        _scripts = _h.Root.Dir("allowed/rancher-cleanup");
        _log = _h.Root["cleanup.log"];
        _state = _h.Root.Dir("cluster");
        RancherCleanupStandIn.Write(_scripts, _log, _state);
        File.WriteAllText(_h.Options.DefaultKubeconfig, "apiVersion: v1\nkind: Config\n");
        File.WriteAllText(Path.Combine(_state, "resources"), "deployment.apps/rancher\nnamespace/cattle-system\nclusterrole.rbac.authorization.k8s.io/cattle-admin\n");
    }

    private string[] Remaining => File.ReadAllLines(Path.Combine(_state, "resources"));

    [Fact]
    public async Task RancherCleanup_StandInResourcesPresent_CleanupForcedThenVerifiedEmpty()
    {
        var result = await RunAsync(_scripts);

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.True(result.Verified);
        Assert.Equal("rancher-cleanup done; verify.sh lists no Rancher resources", result.Summary);
        Assert.Empty(Remaining);
        Assert.Equal(["cleanup.sh force", "verify.sh ", "verify.sh "], StandIns.Calls(_log));
    }

    [Fact]
    public async Task RancherCleanup_StandInResourceSurvivesCleanup_FailedNamingIt()
    {
        File.WriteAllText(Path.Combine(_state, "stuck"), "namespace/cattle-system\n");

        var result = await RunAsync(_scripts);

        // verify.sh exits 0 here too: only its output shows that the cleanup did not finish.
        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Equal("verify.sh still lists 1 Rancher resource(s) after cleanup.sh: namespace/cattle-system", result.Error);
    }

    [Fact]
    public async Task RancherCleanup_StandInVerifyCannotRun_FailedNotVerified()
    {
        // verify.sh exiting non-zero (here: bash cannot even read it) proves nothing about what is left.
        File.Delete(Path.Combine(_scripts, "verify.sh"));

        var result = await RunAsync(_scripts);

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.StartsWith("verify.sh exited 127:", result.Error, StringComparison.Ordinal);
        Assert.False(result.Verified);
    }

    [Fact]
    public async Task RancherCleanup_DryRun_ListsForcedCleanupThenVerifyAndRunsNothing()
    {
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var command = Command(_scripts);
        command.DryRun = true;

        var result = await runner.RunAsync(command, _ => { }, CancellationToken.None);

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal(
            $"KUBECONFIG={_h.Options.DefaultKubeconfig} /bin/bash {_scripts}/cleanup.sh force\nKUBECONFIG={_h.Options.DefaultKubeconfig} /bin/bash {_scripts}/verify.sh (must list no resources)",
            result.DryRun);
        Assert.Empty(StandIns.Calls(_log));
    }

    [Fact]
    public async Task RancherCleanup_StandInKubeconfigMissing_FailedWithTheScriptsMessage()
    {
        File.Delete(_h.Options.DefaultKubeconfig);

        var result = await RunAsync(_scripts);

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains("make sure environment variable KUBECONFIG is set to a working kubeconfig file", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, Remaining.Length);
    }

    [Fact]
    public async Task RancherCleanup_ScriptsDirOutsideAllowedRoots_RefusedAndNothingRuns()
    {
        var outside = _h.Root.Dir("elsewhere");
        RancherCleanupStandIn.Write(outside, _log, _state);

        var result = await RunAsync(outside);

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains("scripts_dir", result.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_log));
    }

    private async Task<V1.StepResult> RunAsync(string scriptsDir)
    {
        var (runner, journal) = _h.Runner();
        using (journal)
        {
            return await runner.RunAsync(Command(scriptsDir), _ => { }, CancellationToken.None);
        }
    }

    private static V1.StepCommand Command(string scriptsDir) => new()
    {
        RunId = "run-rancher",
        StepId = "step-1",
        Action = new V1.Action { RancherCleanup = new V1.RancherCleanup { ScriptsDir = scriptsDir } },
    };

    public void Dispose() => _h.Dispose();
}
