using System.Globalization;

namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>
/// Waits until the node's Ready condition is True with a lastHeartbeatTime no older than the step's start (and, when
/// given, status.nodeInfo.kubeletVersion is the target version).
/// </summary>
/// <remarks>
/// Ready=True alone passes early: right after a datastore restore the API server serves the node status the snapshot
/// holds (Ready=True, an old heartbeat, the old kubelet version) until the kubelet posts again. A kubelet posts at start,
/// on any change and otherwise at least every nodeStatusReportFrequency (5 min by default), so a node whose kubelet runs
/// passes within that. The heartbeat is in whole seconds (metav1.Time), so the start is compared in whole seconds too,
/// and the node's and this host's clocks are assumed to be synchronised (NTP).
/// </remarks>
internal sealed class WaitNodeReadyAction : AgentAction
{
    private readonly string _node;
    private readonly TimeSpan _timeout;
    private readonly string _kubeconfig;
    private readonly string _kubeletVersion;
    private DateTimeOffset? _startedAt;
    private string _last = "no status read";

    /// <summary>Creates the wait for a validated node name and optional exact kubelet version (empty: any).</summary>
    public WaitNodeReadyAction(string node, TimeSpan timeout, string kubeconfig, string kubeletVersion = "")
    {
        _node = node;
        _timeout = timeout;
        _kubeconfig = kubeconfig;
        _kubeletVersion = kubeletVersion;
    }

    /// <inheritdoc />
    public override string Kind => "wait_node_ready";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"wait up to {_timeout.TotalSeconds:0} s for node {_node} Ready=True with a heartbeat newer than the step's start" +
            (_kubeletVersion.Length > 0 ? $" and kubelet {_kubeletVersion}" : "") + " (kubectl get node)");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        _startedAt = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (!await KubeTools.WaitAsync(context, _timeout, () => IsReadyAsync(context, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            throw new ActionFailedException($"node {_node} not Ready within {_timeout.TotalSeconds:0} s: {_last}");
        }

        return $"node {_node} Ready ({_last})";
    }

    /// <inheritdoc />
    public override Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        IsReadyAsync(context, cancellationToken);

    private async Task<bool> IsReadyAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(KubeTools.Kubectl(context, _kubeconfig, "get", "node", _node, "-o",
            "jsonpath={range .status.conditions[?(@.type==\"Ready\")]}{.status}{\" \"}{.lastHeartbeatTime}{end}{\" \"}{.status.nodeInfo.kubeletVersion}"),
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            _last = $"kubectl get node exited {result.ExitCode}: {result.CombinedOutput.Trim()}";
            return false;
        }

        var fields = result.StandardOutput.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var status = fields.Length > 0 ? fields[0] : "";
        var heartbeat = fields.Length > 1 && DateTimeOffset.TryParse(fields[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var h) ? h : (DateTimeOffset?)null;
        var version = fields.Length > 2 ? fields[2] : "";
        _last = $"Ready={(status.Length > 0 ? status : "missing")}, last heartbeat {(heartbeat is { } t ? t.ToString("O", CultureInfo.InvariantCulture) : "missing")}, kubelet {(version.Length > 0 ? version : "unknown")}";
        if (status != "True" || heartbeat is null)
        {
            return false;
        }

        if (_startedAt is { } start && heartbeat < start)
        {
            _last += $" (older than the step's start {start:O}: a stale status, e.g. from a restored datastore)";
            return false;
        }

        if (_kubeletVersion.Length > 0 && version != _kubeletVersion)
        {
            _last += $" (expected kubelet {_kubeletVersion})";
            return false;
        }

        return true;
    }
}
