using RollbackMesh.Agent.Actions;
using RollbackMesh.Testbeds.KubeApi;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>
/// The agent's kubectl actions run the real kubectl client (/usr/bin/kubectl) against the test API server: what
/// kubectl itself decides (drain's cordon and eviction, rollout status, wait) is the real client's behaviour.
/// </summary>
public sealed class RealKubectlStandInApiServerTests
{
    private static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow.AddHours(-3);

    [KubectlFact]
    public async Task Drain_RealKubectlStandInApiServer_CordonsEvictsAndSkipsDaemonSetPods()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        k.Api.AddNode("agent-1", ready: true, DateTimeOffset.UtcNow, "v1.29.4+k3s1");
        k.Api.AddDaemonSet("kube-system", "calico-node", "OnDelete", desired: 1, updated: 1, available: 1);
        k.Api.AddPod("default", "web-1", "agent-1");
        k.Api.AddPod("kube-system", "calico-node-abc", "agent-1", new Dictionary<string, string> { ["k8s-app"] = "calico-node" }, "DaemonSet", "calico-node");

        var drain = k.Agent.Build(new RollbackMesh.V1.Action { KubectlNode = new KubectlNode { Node = "agent-1", Operation = RollbackMesh.V1.KubectlNodeOperation.Drain } });
        Assert.Equal("node/agent-1 drained", await drain.ExecuteAsync(k.Agent.Context(), default));

        Assert.True(await drain.VerifyAsync(k.Agent.Context(), default));
        Assert.Equal(["calico-node-abc"], k.Api.Names("pods", "kube-system"));
        Assert.Empty(k.Api.Names("pods", "default"));
        var requests = k.Api.Requests;
        var patch = requests.ToList().FindIndex(r => r.StartsWith("PATCH /api/v1/nodes/agent-1", StringComparison.Ordinal));
        var evict = requests.ToList().FindIndex(r => r.StartsWith("POST /api/v1/namespaces/default/pods/web-1/eviction", StringComparison.Ordinal));
        Assert.True(patch >= 0 && evict > patch, string.Join("\n", requests));
        Assert.Contains(k.Agent.Output, l => l.Contains("evicting pod default/web-1", StringComparison.Ordinal));
    }

    [KubectlFact]
    public async Task CordonUncordon_RealKubectlStandInApiServer_PatchesUnschedulableAndAlreadyDoneReadsIt()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        k.Api.AddNode("agent-1", ready: true, DateTimeOffset.UtcNow, "v1.29.4+k3s1");
        var cordon = k.Agent.Build(new RollbackMesh.V1.Action { KubectlNode = new KubectlNode { Node = "agent-1", Operation = RollbackMesh.V1.KubectlNodeOperation.Cordon } });
        var uncordon = k.Agent.Build(new RollbackMesh.V1.Action { KubectlNode = new KubectlNode { Node = "agent-1", Operation = RollbackMesh.V1.KubectlNodeOperation.Uncordon } });

        Assert.False(await cordon.IsAlreadyDoneAsync(k.Agent.Context(), default));
        Assert.Equal("node/agent-1 cordoned", await cordon.ExecuteAsync(k.Agent.Context(), default));
        Assert.True(k.Api.Get("nodes", "", "agent-1")!["spec"]!["unschedulable"]!.GetValue<bool>());
        Assert.True(await cordon.IsAlreadyDoneAsync(k.Agent.Context(), default));

        Assert.Equal("node/agent-1 uncordoned", await uncordon.ExecuteAsync(k.Agent.Context(), default));
        Assert.Null(k.Api.Get("nodes", "", "agent-1")!["spec"]!["unschedulable"]);
        Assert.True(await uncordon.IsAlreadyDoneAsync(k.Agent.Context(), default));
    }

    [KubectlFact]
    public async Task RolloutStatus_RealKubectlStandInApiServerOnDeleteDaemonSet_KubectlRefuses()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        k.Api.AddDaemonSet("kube-system", "calico-node", "OnDelete", desired: 3, updated: 3, available: 3);
        var status = k.Agent.Build(new RollbackMesh.V1.Action { KubectlRollout = new KubectlRollout { Resource = "ds/calico-node", Namespace = "kube-system", Operation = RolloutOperation.Status } });

        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => status.ExecuteAsync(k.Agent.Context(), default));
        Assert.Contains("rollout status is only available for RollingUpdate strategy type", ex.Message, StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task RolloutStatus_RealKubectlStandInApiServerRecreateDeploymentRollsOut_Succeeds()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        k.Api.AddDeployment("kube-system", "calico-policy-controller", "Recreate", replicas: 1, rolledOut: true);
        var status = k.Agent.Build(new RollbackMesh.V1.Action { KubectlRollout = new KubectlRollout { Resource = "deployment/calico-policy-controller", Namespace = "kube-system", Operation = RolloutOperation.Status } });

        Assert.Equal("deployment \"calico-policy-controller\" successfully rolled out", await status.ExecuteAsync(k.Agent.Context(), default));
    }

    [KubectlFact]
    public async Task Wait_RealKubectlStandInApiServerNodeBecomesReady_WatchSeesIt()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        k.Api.AddNode("agent-1", ready: false, LongAgo, "v1.29.4+k3s1");
        var wait = k.Agent.Build(new RollbackMesh.V1.Action { KubectlWait = new KubectlWait { Resource = "node/agent-1", Condition = "Ready", TimeoutSeconds = 120 } });

        var waiting = wait.ExecuteAsync(k.Agent.Context(), default);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted);
        k.Api.PostNodeStatus("agent-1", ready: true, DateTimeOffset.UtcNow, "v1.29.4+k3s1");

        // Generous: a real kubectl process on a loaded 2-core CI machine; the watch itself answers at once.
        Assert.Equal("node/agent-1 condition met", await waiting.WaitAsync(TimeSpan.FromSeconds(100)));
    }

    [KubectlFact]
    public async Task WaitNodeReady_RealKubectlStandInApiServerStaleReadyAfterRestore_WaitsForAFreshHeartbeat()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        k.Api.AddNode("server-1", ready: true, DateTimeOffset.UtcNow, "v1.30.2+k3s1");
        k.Api.RestoreDatastore(LongAgo, "v1.29.4+k3s1");
        var wait = k.Agent.Build(new RollbackMesh.V1.Action { WaitNodeReady = new WaitNodeReady { Node = "server-1", TimeoutSeconds = 2, KubeletVersion = "v1.29.4+k3s1" } });

        // Ready=True as the snapshot left it: not proof the kubelet came back.
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => wait.ExecuteAsync(k.Agent.Context(), default));
        Assert.Contains("stale status", ex.Message, StringComparison.Ordinal);

        var again = k.Agent.Build(new RollbackMesh.V1.Action { WaitNodeReady = new WaitNodeReady { Node = "server-1", TimeoutSeconds = 30, KubeletVersion = "v1.29.4+k3s1" } });
        var waiting = again.ExecuteAsync(k.Agent.Context(), default);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(waiting.IsCompleted);
        k.Api.PostNodeStatus("server-1", ready: true, DateTimeOffset.UtcNow, "v1.29.4+k3s1");
        Assert.StartsWith("node server-1 Ready", await waiting.WaitAsync(TimeSpan.FromSeconds(20)), StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task WaitNodeReady_RealKubectlStandInApiServerFreshHeartbeatWrongKubelet_NotReady()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        k.Api.AddNode("agent-1", ready: true, DateTimeOffset.UtcNow.AddMinutes(1), "v1.30.2+k3s1");
        var wait = k.Agent.Build(new RollbackMesh.V1.Action { WaitNodeReady = new WaitNodeReady { Node = "agent-1", TimeoutSeconds = 1, KubeletVersion = "v1.29.4+k3s1" } });

        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => wait.ExecuteAsync(k.Agent.Context(), default));
        Assert.Contains("expected kubelet v1.29.4+k3s1", ex.Message, StringComparison.Ordinal);
    }
}
