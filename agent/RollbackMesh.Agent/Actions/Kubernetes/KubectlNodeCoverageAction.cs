namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>
/// Read-only preflight: every node the cluster itself lists (<c>kubectl get nodes</c>) has an enrolled agent, or the
/// operator excluded it by name. A rollback that skips a node it does not know about leaves that node on the new
/// version (or its binary and datastore out of step with the rest), so the check refuses and names the nodes.
/// </summary>
internal sealed class KubectlNodeCoverageAction : AgentAction
{
    private readonly IReadOnlySet<string> _enrolled;
    private readonly IReadOnlySet<string> _excluded;
    private readonly string _kubeconfig;

    /// <summary>Creates the check over validated node names.</summary>
    public KubectlNodeCoverageAction(IEnumerable<string> enrolled, IEnumerable<string> excluded, string kubeconfig)
    {
        _enrolled = enrolled.ToHashSet(StringComparer.Ordinal);
        _excluded = excluded.ToHashSet(StringComparer.Ordinal);
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "kubectl_node_coverage";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"check every node kubectl get nodes lists has an enrolled agent ({_enrolled.Count} enrolled" +
            (_excluded.Count > 0 ? $", excluded: {string.Join(", ", _excluded.Order(StringComparer.Ordinal))}" : "") + ")");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var clusterNodes = await ClusterNodesAsync(context, cancellationToken).ConfigureAwait(false);
        var uncovered = clusterNodes.Where(n => !_enrolled.Contains(n) && !_excluded.Contains(n)).ToList();
        if (uncovered.Count > 0)
        {
            throw new ActionFailedException(
                $"cluster node(s) without an enrolled agent: {string.Join(", ", uncovered)}; enroll an agent on each, " +
                "or exclude them explicitly with the runbook parameter exclude_nodes (they are then not rolled back)");
        }

        var excluded = clusterNodes.Where(n => !_enrolled.Contains(n)).ToList();
        return $"all {clusterNodes.Count} cluster node(s) have an agent" +
            (excluded.Count > 0 ? $" or are excluded ({string.Join(", ", excluded)})" : "");
    }

    private async Task<List<string>> ClusterNodesAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(KubeTools.Kubectl(context, _kubeconfig, "get", "nodes", "-o", "jsonpath={.items[*].metadata.name}"),
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ActionFailedException($"kubectl get nodes exited {result.ExitCode}: {result.CombinedOutput.Trim()}");
        }

        var nodes = result.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Order(StringComparer.Ordinal).ToList();
        return nodes.Count > 0 ? nodes : throw new ActionFailedException("kubectl get nodes listed no nodes; the cluster's node list cannot be compared with the agents");
    }
}
