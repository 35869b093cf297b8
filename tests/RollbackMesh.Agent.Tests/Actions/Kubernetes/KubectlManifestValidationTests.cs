using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Confinement;
using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>kubectl_wait and kubectl_create arguments are shape-checked when the action is built; kubectl never sees a bad one.</summary>
public sealed class KubectlManifestValidationTests : IDisposable
{
    private readonly AgentHarness _h = new();

    [Theory]
    [InlineData("restore")]
    [InlineData("restore/")]
    [InlineData("Restore/restore-migration")]
    [InlineData("restore/Restore-Migration")]
    [InlineData("--all")]
    [InlineData("restore/x --kubeconfig=/etc/shadow")]
    [InlineData("restore/a/b")]
    [InlineData("")]
    public void Create_KubectlWaitResourceNotKindSlashName_RefusedNamingResource(string resource)
    {
        var ex = Assert.Throws<ActionValidationException>(() => _h.Build(KubectlWaitStandInTests.Wait(resource, "Ready", 60)));

        Assert.Contains($"resource '{resource}' is not kind/name", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Ready=False")]
    [InlineData("--for=delete")]
    [InlineData("Ready;true")]
    [InlineData("Ready True")]
    public void Create_KubectlWaitConditionNotAConditionType_RefusedNamingCondition(string condition)
    {
        var ex = Assert.Throws<ActionValidationException>(() => _h.Build(KubectlWaitStandInTests.Wait("restore/restore-migration", condition, 60)));

        Assert.Contains($"condition '{condition}' is not a condition type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_KubectlWaitSeveralBadArguments_AllReportedTogether()
    {
        var ex = Assert.Throws<ActionValidationException>(() => _h.Build(KubectlWaitStandInTests.Wait("--all", "Ready=False", 86_401, "Cattle System")));

        Assert.Contains("resource '--all'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("condition 'Ready=False'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("timeout_seconds 86401 is more than 86400", ex.Message, StringComparison.Ordinal);
        Assert.Contains("namespace 'Cattle System' is not allowed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("restore/restore-migration", "Ready", "")]
    [InlineData("restores.resources.cattle.io/restore-migration", "Ready", "")]
    [InlineData("deployment/rancher", "Available", "cattle-system")]
    public void Create_KubectlWaitValidArguments_Built(string resource, string condition, string ns)
    {
        Assert.Equal("kubectl_wait", _h.Build(KubectlWaitStandInTests.Wait(resource, condition, 3600, ns)).Kind);
    }

    [Fact]
    public void Create_KubectlCreateManifestOutsideAllowedRoots_RefusedNamingManifestPath()
    {
        var ex = Assert.Throws<PathConfinementException>(() =>
            _h.Build(new V1.Action { KubectlCreate = new V1.KubectlCreate { ManifestPath = "/etc/restore.yaml" } }));

        Assert.Contains("manifest_path", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _h.Dispose();
}
