using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>
/// Applying a rancher-backup Restore manifest from a local file (the Rancher rollback procedure) through the
/// <see cref="KubectlManifestStandIn"/>; the manifest path must lie under the allowed roots after resolving symlinks.
/// </summary>
public sealed class KubectlApplyStandInTests : IDisposable
{
    private const string Restore = RestoreManifest.Yaml;

    private readonly AgentHarness _h;
    private readonly string _log;
    private readonly string _manifest;

    public KubectlApplyStandInTests()
    {
        string? kubectl = null;
        _h = new AgentHarness(o => o with { Tools = o.Tools with { Kubectl = kubectl = Path.Combine(o.AllowedRoots[0], "bin/kubectl") } });
        _log = _h.Root["kubectl.log"];
        KubectlManifestStandIn.Write(kubectl!, _log, _h.Root.Dir("applied"));
        File.WriteAllText(_h.Options.DefaultKubeconfig, "apiVersion: v1\nkind: Config\n");
        _manifest = _h.Root.Write("allowed/rancher/restore-migration.yaml", Restore);
    }

    [Fact]
    public async Task KubectlApply_StandInRestoreManifest_CreatedThenUnchanged()
    {
        var first = await RunAsync(_manifest, "step-1");
        var second = await RunAsync(_manifest, "step-2");

        Assert.Equal(V1.StepState.Succeeded, first.State);
        Assert.Equal("restore.resources.cattle.io/restore-migration created", first.Summary);
        Assert.Equal("restore.resources.cattle.io/restore-migration unchanged", second.Summary);
        Assert.Equal($"--kubeconfig={_h.Options.DefaultKubeconfig} apply -f {_manifest}", StandIns.Calls(_log)[0]);
    }

    [Fact]
    public async Task KubectlApply_StandInChangedManifest_Configured()
    {
        await RunAsync(_manifest, "step-1");
        File.WriteAllText(_manifest, Restore.Replace("folder: rancher", "folder: rancher-2", StringComparison.Ordinal));

        var result = await RunAsync(_manifest, "step-2");

        Assert.Equal("restore.resources.cattle.io/restore-migration configured", result.Summary);
    }

    [Fact]
    public async Task KubectlApply_StandInMissingManifest_FailedWithKubectlsError()
    {
        var missing = Path.Combine(_h.Allowed, "rancher/missing.yaml");

        var result = await RunAsync(missing, "step-1");

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains($"error: the path \"{missing}\" does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlApply_ManifestOutsideAllowedRoots_RefusedAndKubectlNeverRuns()
    {
        var outside = _h.Root.Write("outside/restore.yaml", Restore);

        var result = await RunAsync(outside, "step-1");

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains("manifest_path", result.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_log));
    }

    [Fact]
    public async Task KubectlApply_SymlinkInsideRootToFileOutside_Refused()
    {
        var outside = _h.Root.Write("outside/restore.yaml", Restore);
        var link = Path.Combine(_h.Allowed, "rancher/link.yaml");
        File.CreateSymbolicLink(link, outside);

        var result = await RunAsync(link, "step-1");

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Empty(StandIns.Calls(_log));
    }

    [Fact]
    public async Task KubectlApply_DotDotEscapeFromAllowedRoot_Refused()
    {
        _h.Root.Write("outside/restore.yaml", Restore);

        var result = await RunAsync(Path.Combine(_h.Allowed, "rancher/../../outside/restore.yaml"), "step-1");

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Empty(StandIns.Calls(_log));
    }

    private Task<V1.StepResult> RunAsync(string manifest, string step) =>
        _h.RunStepAsync(new V1.Action { KubectlApply = new V1.KubectlApply { ManifestPath = manifest } }, "run-apply", step);

    public void Dispose() => _h.Dispose();
}
