namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>Waits until the node's Ready condition is True.</summary>
internal sealed class WaitNodeReadyAction : AgentAction
{
    private readonly string _node;
    private readonly TimeSpan _timeout;
    private readonly string _kubeconfig;

    /// <summary>Creates the wait for a validated node name.</summary>
    public WaitNodeReadyAction(string node, TimeSpan timeout, string kubeconfig)
    {
        _node = node;
        _timeout = timeout;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "wait_node_ready";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"wait up to {_timeout.TotalSeconds:0} s for node {_node} Ready=True (kubectl get node)");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (!await KubeTools.WaitAsync(context, _timeout, () => IsReadyAsync(context, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            throw new ActionFailedException($"node {_node} not Ready within {_timeout.TotalSeconds:0} s");
        }

        return $"node {_node} Ready";
    }

    /// <inheritdoc />
    public override Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        IsReadyAsync(context, cancellationToken);

    private async Task<bool> IsReadyAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(KubeTools.Kubectl(context, _kubeconfig, "get", "node", _node, "-o",
            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"), cancellationToken).ConfigureAwait(false);
        return result.Succeeded && result.StandardOutput.Trim() == "True";
    }
}
