using RollbackMesh.Agent.Actions.Kubernetes;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>`helm history RELEASE -n NS` (read-only; its output tells the operator which revision to roll back to).</summary>
internal sealed class HelmHistoryAction : AgentAction
{
    private readonly string _release;
    private readonly string _namespace;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for validated names.</summary>
    public HelmHistoryAction(string release, string ns, string kubeconfig)
    {
        _release = release;
        _namespace = ns;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "helm_history";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(KubeTools.Helm(context, _kubeconfig, "history", _release, "-n", _namespace).CommandLine);

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunCheckedAsync(KubeTools.Helm(context, _kubeconfig, "history", _release, "-n", _namespace), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.TrimEnd();
    }
}
