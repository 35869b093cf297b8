using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.Testbeds.KubeApi;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>
/// kubectl_strategy_check reads the live strategy with the real kubectl client against the test API server: the
/// Calico upgrade (002) goes node by node only for an OnDelete calico-node and needs a Recreate policy controller.
/// </summary>
public sealed class KubectlStrategyCheckStandInApiServerTests : IDisposable
{
    private readonly AgentHarness _h = new();

    [KubectlFact]
    public async Task StrategyCheck_RealKubectlStandInApiServerRollingUpdateDaemonSet_RefusedNamingBoth()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        k.Api.AddDaemonSet("kube-system", "calico-node", "RollingUpdate", desired: 3, updated: 3, available: 3);
        var check = k.Agent.Build(Check("ds/calico-node", "OnDelete"));

        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => check.ExecuteAsync(k.Agent.Context(), default));
        Assert.Contains("ds/calico-node in kube-system has .spec.updateStrategy.type RollingUpdate, but this procedure requires OnDelete", ex.Message, StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task StrategyCheck_RealKubectlStandInApiServerOnDeleteDaemonSet_Passes()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        k.Api.AddDaemonSet("kube-system", "calico-node", "OnDelete", desired: 3, updated: 1, available: 3);
        var check = k.Agent.Build(Check("ds/calico-node", "OnDelete"));

        Assert.Equal("ds/calico-node in kube-system has .spec.updateStrategy.type OnDelete", await check.ExecuteAsync(k.Agent.Context(), default));
        Assert.Contains(k.Api.Requests, r => r.StartsWith("GET /apis/apps/v1/namespaces/kube-system/daemonsets/calico-node", StringComparison.Ordinal));
    }

    [KubectlFact]
    public async Task StrategyCheck_RealKubectlStandInApiServerDeployment_RecreatePassesRollingUpdateRefused()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        k.Api.AddDeployment("kube-system", "calico-policy-controller", "Recreate", replicas: 1, rolledOut: true);
        k.Api.AddDeployment("kube-system", "calico-kube-controllers", "RollingUpdate", replicas: 1, rolledOut: true);

        Assert.Equal(
            "deployment/calico-policy-controller in kube-system has .spec.strategy.type Recreate",
            await k.Agent.Build(Check("deployment/calico-policy-controller", "Recreate")).ExecuteAsync(k.Agent.Context(), default));
        var ex = await Assert.ThrowsAsync<ActionFailedException>(
            () => k.Agent.Build(Check("deploy/calico-kube-controllers", "Recreate")).ExecuteAsync(k.Agent.Context(), default));
        Assert.Contains("has .spec.strategy.type RollingUpdate, but this procedure requires Recreate", ex.Message, StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task StrategyCheck_RealKubectlStandInApiServerMissingDaemonSet_FailsWithKubectlsNotFoundAndTheCommand()
    {
        await using var k = await RealKubectlHarness.StartAsync();
        var check = k.Agent.Build(Check("ds/calico-node", "OnDelete"));

        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => check.ExecuteAsync(k.Agent.Context(), default));
        Assert.True(ex.Message.Contains("(NotFound)", StringComparison.Ordinal), ex.Message);
        Assert.Contains("get ds/calico-node -n kube-system", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pod/calico-node-abc", "OnDelete", "is not a DaemonSet or Deployment")]
    [InlineData("ds/calico-node", "Recreate", "expected 'Recreate' is not a strategy of ds/calico-node (OnDelete, RollingUpdate)")]
    [InlineData("deployment/calico-policy-controller", "OnDelete", "expected 'OnDelete' is not a strategy of deployment/calico-policy-controller (Recreate, RollingUpdate)")]
    [InlineData("ds/calico-node", "ondelete", "expected 'ondelete' is not a strategy")]
    [InlineData("ds/x --kubeconfig=/etc/shadow", "OnDelete", "is not kind/name")]
    public void Create_StrategyCheckBadArguments_RefusedNamingTheProblem(string resource, string expected, string problem)
    {
        var ex = Assert.Throws<ActionValidationException>(() => _h.Build(Check(resource, expected)));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _h.Dispose();

    private static RollbackMesh.V1.Action Check(string resource, string expected) => new()
    {
        KubectlStrategyCheck = new KubectlStrategyCheck { Resource = resource, Namespace = "kube-system", Expected = expected },
    };
}
