using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>`calico-upgrade abort` (Calico etcd datastore downgrade) through StepRunner against <see cref="CalicoUpgradeStandIn"/>.</summary>
public sealed class CalicoUpgradeAbortStandInTests : IDisposable
{
    private const string EtcdV1 = "apiVersion: v1\nkind: calicoApiConfig\nmetadata:\nspec:\n  datastoreType: \"etcdv2\"\n  etcdEndpoints: \"http://10.0.0.10:2379\"\n";
    private const string EtcdV3 = "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata:\nspec:\n  datastoreType: \"etcdv3\"\n  etcdEndpoints: \"http://10.0.0.10:2379\"\n";

    private readonly AgentHarness _h;
    private readonly string _log;
    private readonly string _state;
    private readonly string _v1;
    private readonly string _v3;

    public CalicoUpgradeAbortStandInTests()
    {
        string? tool = null;
        _h = new AgentHarness(o => o with { Tools = o.Tools with { CalicoUpgrade = tool = Path.Combine(o.AllowedRoots[0], "bin/calico-upgrade") } });
        _log = _h.Root["calico-upgrade.log"];
        _state = _h.Root["datastore-state"];
        CalicoUpgradeStandIn.Write(tool!, _log, _state);
        _v1 = _h.Root.Write("allowed/calico/apiconfigv1.cfg", EtcdV1);
        _v3 = _h.Root.Write("allowed/calico/apiconfigv3.cfg", EtcdV3);
    }

    [Fact]
    public async Task CalicoUpgradeAbort_StandInEtcdDatastore_AbortedWithoutAPrompt()
    {
        var updates = new List<V1.StepUpdate>();

        var result = await RunAsync(_v1, _v3, updates.Add);

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal("calico-upgrade abort done", result.Summary);
        Assert.Equal($"abort --apiconfigv1 {_v1} --apiconfigv3 {_v3} --no-prompts", Assert.Single(StandIns.Calls(_log)));
        Assert.Equal("aborted\n", File.ReadAllText(_state));
        Assert.Contains(updates, u => u.OutputChunk.Contains("Successfully aborted the upgrade process.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CalicoUpgradeAbort_StandInKubernetesDatastore_SucceededNoActionTaken()
    {
        File.WriteAllText(_v1, EtcdV1.Replace("etcdv2", "kubernetes", StringComparison.Ordinal));

        var result = await RunAsync(_v1, _v3);

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.False(File.Exists(_state));
    }

    [Fact]
    public async Task CalicoUpgradeAbort_StandInApiConfigMissing_FailedWithTheToolsMessage()
    {
        File.Delete(_v3);

        var result = await RunAsync(_v1, _v3);

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains("Failed to abort the upgrade.", result.Error, StringComparison.Ordinal);
        Assert.Contains($"Error accessing the Calico API: open {_v3}", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_state));
    }

    [Fact]
    public async Task CalicoUpgradeAbort_ApiConfigOutsideAllowedRoots_RefusedNamingTheField()
    {
        var outside = _h.Root.Write("outside/apiconfigv3.cfg", EtcdV3);

        var result = await RunAsync(_v1, outside);

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains("apiconfig_v3", result.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_log));
    }

    private Task<V1.StepResult> RunAsync(string v1, string v3, Action<V1.StepUpdate>? onUpdate = null) =>
        _h.RunStepAsync(
            new V1.Action { CalicoUpgradeAbort = new V1.CalicoUpgradeAbort { ApiconfigV1 = v1, ApiconfigV3 = v3 } }, "run-calico", "step-1", onUpdate);

    public void Dispose() => _h.Dispose();
}
