namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>`kubectl rollout undo` or `kubectl rollout status` of a DaemonSet/Deployment.</summary>
internal sealed class KubectlRolloutAction : AgentAction
{
    private readonly string _resource;
    private readonly string _namespace;
    private readonly bool _undo;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for a validated resource and namespace.</summary>
    public KubectlRolloutAction(string resource, string ns, bool undo, string kubeconfig)
    {
        _resource = resource;
        _namespace = ns;
        _undo = undo;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "kubectl_rollout";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(KubeTools.Kubectl(context, _kubeconfig, Arguments()).CommandLine);

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunCheckedAsync(KubeTools.Kubectl(context, _kubeconfig, Arguments()), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim().Split('\n')[^1];
    }

    private string[] Arguments() => _undo
        ? ["rollout", "undo", _resource, "-n", _namespace]
        : ["rollout", "status", _resource, "-n", _namespace];
}
