namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>
/// `kubectl apply -f MANIFEST` (e.g. calico-node.yaml in the Calico upgrade). An object that exists with the same
/// content is "unchanged" and passes; where that must fail instead (a rancher-backup Restore), use <see cref="KubectlCreateAction"/>.
/// </summary>
internal sealed class KubectlApplyAction : AgentAction
{
    private readonly string _manifest;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for a confined manifest path.</summary>
    public KubectlApplyAction(string manifest, string kubeconfig)
    {
        _manifest = manifest;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "kubectl_apply";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(KubeTools.Kubectl(context, _kubeconfig, "apply", "-f", _manifest).CommandLine);

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunCheckedAsync(KubeTools.Kubectl(context, _kubeconfig, "apply", "-f", _manifest), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim();
    }
}
