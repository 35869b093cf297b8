using System.Diagnostics;
using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>
/// `kubectl wait --for=condition=Ready restores.resources.cattle.io/NAME --timeout=Ns` through the
/// <see cref="KubectlManifestStandIn"/>: the test plays the rancher-backup operator by setting the Restore's Ready.
/// </summary>
public sealed class KubectlWaitStandInTests : IDisposable
{
    private const string Resource = "restores.resources.cattle.io/" + RestoreManifest.Name;

    private readonly AgentHarness _h;
    private readonly string _log;
    private readonly string _objects;

    public KubectlWaitStandInTests()
    {
        string? kubectl = null;
        _h = new AgentHarness(o => o with { Tools = o.Tools with { Kubectl = kubectl = Path.Combine(o.AllowedRoots[0], "bin/kubectl") } });
        _log = _h.Root["kubectl.log"];
        _objects = _h.Root.Dir("objects");
        KubectlManifestStandIn.Write(kubectl!, _log, _objects);
        File.WriteAllText(_h.Options.DefaultKubeconfig, "apiVersion: v1\nkind: Config\n");
        var manifest = _h.Root.Write("allowed/rancher/restore-migration.yaml", RestoreManifest.Yaml);
        Sh.Run(kubectl!, $"--kubeconfig={_h.Options.DefaultKubeconfig}", "create", "-f", manifest);
        File.Delete(_log);
    }

    private string Conditions => Path.Combine(_objects, "restore_" + RestoreManifest.Name + ".conditions");

    [Fact]
    public async Task KubectlWait_StandInRestoreReady_ConditionMetWithDocumentedArguments()
    {
        File.WriteAllText(Conditions, "Reconciling=False\nReady=True\n");

        var result = await RunAsync(Wait(Resource, "Ready", 5));

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal("restore.resources.cattle.io/restore-migration condition met", result.Summary);
        Assert.Equal([$"--kubeconfig={_h.Options.DefaultKubeconfig} wait --for=condition=Ready {Resource} --timeout=5s"], StandIns.Calls(_log));
    }

    [Fact]
    public async Task KubectlWait_StandInRestoreBecomesReadyWhileWaiting_Succeeds()
    {
        var clock = Stopwatch.StartNew();
        var running = RunAsync(Wait(Resource, "Ready", 20));
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        Assert.False(running.IsCompleted);
        File.WriteAllText(Conditions, "Ready=True\n");

        var result = await running;

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(700));
    }

    [Fact]
    public async Task KubectlWait_StandInRestoreNeverReady_FailsWithKubectlsTimeout()
    {
        File.WriteAllText(Conditions, "Ready=False\nReconciling=True\n");

        var result = await RunAsync(Wait(Resource, "Ready", 1));

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains($"{Resource} did not reach condition Ready within 1 s", result.Error, StringComparison.Ordinal);
        Assert.Contains("timed out waiting for the condition on restores/restore-migration", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlWait_StandInRestoreMissing_FailsWithNotFound()
    {
        var result = await RunAsync(Wait("restores.resources.cattle.io/other-restore", "Ready", 5));

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains("Error from server (NotFound)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAsync_NamespacedWait_NamespaceFlagAndDefaultTimeout()
    {
        var action = _h.Build(Wait("deployment/rancher", "Available", 0, "cattle-system"));

        var text = await action.DescribeAsync(_h.Context(), CancellationToken.None);

        Assert.EndsWith("wait --for=condition=Available deployment/rancher -n cattle-system --timeout=300s", text, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_log));
    }

    [Fact]
    public async Task IsAlreadyDoneAsync_ReadyRestore_FalseBecauseAWaitOnlyObserves()
    {
        File.WriteAllText(Conditions, "Ready=True\n");

        Assert.False(await _h.Build(Wait(Resource, "Ready", 5)).IsAlreadyDoneAsync(_h.Context(), CancellationToken.None));
    }

    internal static V1.Action Wait(string resource, string condition, uint seconds, string ns = "") => new()
    {
        KubectlWait = new V1.KubectlWait { Resource = resource, Condition = condition, TimeoutSeconds = seconds, Namespace = ns },
    };

    private Task<V1.StepResult> RunAsync(V1.Action action) => _h.RunStepAsync(action, "run-wait", "wait-restore");

    public void Dispose() => _h.Dispose();
}
