using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>
/// `kubectl create -f restore.yaml` (the Rancher rollback procedure) through the <see cref="KubectlManifestStandIn"/>:
/// an existing object of the same name fails the step instead of passing as "unchanged" as apply would.
/// </summary>
public sealed class KubectlCreateStandInTests : IDisposable
{
    private readonly AgentHarness _h;
    private readonly string _log;
    private readonly string _manifest;

    public KubectlCreateStandInTests()
    {
        string? kubectl = null;
        _h = new AgentHarness(o => o with { Tools = o.Tools with { Kubectl = kubectl = Path.Combine(o.AllowedRoots[0], "bin/kubectl") } });
        _log = _h.Root["kubectl.log"];
        KubectlManifestStandIn.Write(kubectl!, _log, _h.Root.Dir("objects"));
        File.WriteAllText(_h.Options.DefaultKubeconfig, "apiVersion: v1\nkind: Config\n");
        _manifest = _h.Root.Write("allowed/rancher/restore-migration.yaml", RestoreManifest.Yaml);
    }

    [Fact]
    public async Task KubectlCreate_StandInNewRestore_CreatedAndVerifiedByGet()
    {
        var result = await RunAsync(_manifest, "step-1");

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.True(result.Verified);
        Assert.Equal("restore.resources.cattle.io/restore-migration created", result.Summary);
        Assert.Equal(
            [$"--kubeconfig={_h.Options.DefaultKubeconfig} create -f {_manifest}", $"--kubeconfig={_h.Options.DefaultKubeconfig} get -f {_manifest} -o name"],
            StandIns.Calls(_log));
    }

    [Fact]
    public async Task KubectlCreate_StandInRestoreAlreadyExists_FailedNotSkipped()
    {
        await RunAsync(_manifest, "step-1");

        var second = await RunAsync(_manifest, "step-2");

        Assert.Equal(V1.StepState.Failed, second.State);
        Assert.False(second.AlreadyDone);
        Assert.Contains("Error from server (AlreadyExists)", second.Error, StringComparison.Ordinal);
        Assert.Contains("restores.resources.cattle.io \"restore-migration\" already exists", second.Error, StringComparison.Ordinal);
        Assert.Contains("not treated as done", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlCreate_SameStepSentAgain_JournalAnswersAndKubectlCreatesOnce()
    {
        var first = await RunAsync(_manifest, "step-1");
        var again = await RunAsync(_manifest, "step-1");

        Assert.Equal(V1.StepState.Succeeded, again.State);
        Assert.Equal(first.Summary, again.Summary);
        Assert.Single(StandIns.Calls(_log), c => c.Contains(" create -f ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KubectlCreate_StandInMissingManifest_FailedWithKubectlsError()
    {
        var missing = Path.Combine(_h.Allowed, "rancher/missing.yaml");

        var result = await RunAsync(missing, "step-1");

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains($"error: the path \"{missing}\" does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlCreate_ManifestOutsideAllowedRoots_RefusedAndKubectlNeverRuns()
    {
        var outside = _h.Root.Write("outside/restore.yaml", RestoreManifest.Yaml);

        var result = await RunAsync(outside, "step-1");

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains("manifest_path", result.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_log));
    }

    [Fact]
    public async Task DescribeAsync_KubectlCreate_IsTheCreateCommandLineAndRunsNothing()
    {
        var action = _h.Build(new V1.Action { KubectlCreate = new V1.KubectlCreate { ManifestPath = _manifest } });

        var text = await action.DescribeAsync(_h.Context(), CancellationToken.None);

        Assert.EndsWith($"--kubeconfig={_h.Options.DefaultKubeconfig} create -f {_manifest}", text, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_log));
    }

    private Task<V1.StepResult> RunAsync(string manifest, string step) =>
        _h.RunStepAsync(new V1.Action { KubectlCreate = new V1.KubectlCreate { ManifestPath = manifest } }, "run-create", step);

    public void Dispose() => _h.Dispose();
}
