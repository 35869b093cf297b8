namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>drain / cordon / uncordon a node; done-ness read from .spec.unschedulable.</summary>
internal sealed class KubectlNodeAction : AgentAction
{
    private readonly string _node;
    private readonly KubectlNodeOperation _operation;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for a validated node name and confined kubeconfig.</summary>
    public KubectlNodeAction(string node, KubectlNodeOperation operation, string kubeconfig)
    {
        _node = node;
        _operation = operation;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "kubectl_node";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(KubeTools.Kubectl(context, _kubeconfig, Arguments()).CommandLine);

    /// <inheritdoc />
    public override async Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken)
    {
        // A drain is never skipped: pods may have been scheduled since a cordon.
        if (_operation == KubectlNodeOperation.Drain)
        {
            return false;
        }

        return await VerifyAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunCheckedAsync(KubeTools.Kubectl(context, _kubeconfig, Arguments()), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim().Split('\n')[^1];
    }

    /// <inheritdoc />
    public override async Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(
            KubeTools.Kubectl(context, _kubeconfig, "get", "node", _node, "-o", "jsonpath={.spec.unschedulable}"), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return false;
        }

        var unschedulable = result.StandardOutput.Trim() == "true";
        return _operation == KubectlNodeOperation.Uncordon ? !unschedulable : unschedulable;
    }

    private string[] Arguments() => _operation switch
    {
        KubectlNodeOperation.Drain => ["drain", _node, "--ignore-daemonsets", "--delete-emptydir-data"],
        KubectlNodeOperation.Cordon => ["cordon", _node],
        _ => ["uncordon", _node],
    };
}
