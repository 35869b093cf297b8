namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>
/// Deletes the pod(s) matching a label on one node (e.g. calico-node) and optionally waits until a replacement
/// pod on that node is Running — within BIRD's 90 s graceful-restart window by default.
/// </summary>
internal sealed class KubectlDeletePodAction : AgentAction
{
    private readonly string _namespace;
    private readonly string _selector;
    private readonly string _node;
    private readonly bool _wait;
    private readonly TimeSpan _timeout;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for validated names.</summary>
    public KubectlDeletePodAction(string ns, string selector, string node, bool wait, TimeSpan timeout, string kubeconfig)
    {
        _namespace = ns;
        _selector = selector;
        _node = node;
        _wait = wait;
        _timeout = timeout;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "kubectl_delete_pod";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var delete = KubeTools.Kubectl(context, _kubeconfig, DeleteArguments()).CommandLine;
        return Task.FromResult(_wait ? $"{delete}\nwait up to {_timeout.TotalSeconds:0} s for a replacement pod on {_node} to be Running" : delete);
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var before = await PodsAsync(context, cancellationToken).ConfigureAwait(false);
        await context.RunCheckedAsync(KubeTools.Kubectl(context, _kubeconfig, DeleteArguments()), cancellationToken).ConfigureAwait(false);
        if (!_wait)
        {
            return $"deleted {string.Join(", ", before.Keys)}";
        }

        string? replacement = null;
        var running = await KubeTools.WaitAsync(context, _timeout, async () =>
        {
            var now = await PodsAsync(context, cancellationToken).ConfigureAwait(false);
            replacement = now.FirstOrDefault(p => !before.ContainsKey(p.Key) && p.Value == "Running").Key;
            return replacement is not null;
        }, cancellationToken).ConfigureAwait(false);
        if (!running)
        {
            throw new ActionFailedException($"no replacement pod for {_selector} Running on {_node} within {_timeout.TotalSeconds:0} s");
        }

        context.Output($"replacement pod {replacement} is Running");
        return $"deleted {string.Join(", ", before.Keys)}; {replacement} Running";
    }

    private string[] DeleteArguments() =>
        ["delete", "pod", "-n", _namespace, "-l", _selector, "--field-selector", $"spec.nodeName={_node}"];

    private async Task<Dictionary<string, string>> PodsAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(KubeTools.Kubectl(context, _kubeconfig, "get", "pods", "-n", _namespace, "-l", _selector,
            "--field-selector", $"spec.nodeName={_node}", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{\"\\n\"}{end}"),
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ActionFailedException($"kubectl get pods exited {result.ExitCode}: {result.CombinedOutput}");
        }

        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }
}
