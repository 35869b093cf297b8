using System.Globalization;
using RollbackMesh.Agent.Actions.Kubernetes;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>`helm rollback RELEASE [REVISION] -n NS` (revision 0 = the previous one).</summary>
internal sealed class HelmRollbackAction : AgentAction
{
    private readonly string _release;
    private readonly string _namespace;
    private readonly uint _revision;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for validated names.</summary>
    public HelmRollbackAction(string release, string ns, uint revision, string kubeconfig)
    {
        _release = release;
        _namespace = ns;
        _revision = revision;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "helm_rollback";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(KubeTools.Helm(context, _kubeconfig, Arguments()).CommandLine);

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunCheckedAsync(KubeTools.Helm(context, _kubeconfig, Arguments()), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim();
    }

    private string[] Arguments() => _revision == 0
        ? ["rollback", _release, "-n", _namespace]
        : ["rollback", _release, _revision.ToString(CultureInfo.InvariantCulture), "-n", _namespace];
}
