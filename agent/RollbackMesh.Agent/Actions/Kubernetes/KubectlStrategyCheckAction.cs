using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>
/// Read-only: a DaemonSet's <c>.spec.updateStrategy.type</c> or a Deployment's <c>.spec.strategy.type</c> must be the
/// one the procedure was written for (a node-by-node calico-node upgrade needs OnDelete, else the DaemonSet controller
/// replaces pods on its own; the policy controller needs Recreate so at most one instance runs).
/// </summary>
internal sealed class KubectlStrategyCheckAction : AgentAction
{
    private readonly string _resource;
    private readonly string _namespace;
    private readonly Workload _workload;
    private readonly string _expected;
    private readonly string _kubeconfig;

    /// <summary>Creates the check for a validated resource of <paramref name="workload"/>'s kind.</summary>
    public KubectlStrategyCheckAction(string resource, string ns, Workload workload, string expected, string kubeconfig)
    {
        _resource = resource;
        _namespace = ns;
        _workload = workload;
        _expected = expected;
        _kubeconfig = kubeconfig;
    }

    /// <summary>A kind whose update strategy can be read, with where it lives and the values the API allows.</summary>
    internal sealed record Workload(string Field, IReadOnlyList<string> Strategies);

    private static readonly Workload DaemonSet = new(".spec.updateStrategy.type", ["OnDelete", "RollingUpdate"]);
    private static readonly Workload Deployment = new(".spec.strategy.type", ["Recreate", "RollingUpdate"]);

    /// <summary>The workload named by the kind part of <paramref name="resource"/> (ds/x, deployment.apps/x), or null.</summary>
    public static Workload? WorkloadOf(string resource) => resource.Split('/')[0] switch
    {
        "ds" or "daemonset" or "daemonsets" or "daemonset.apps" or "daemonsets.apps" => DaemonSet,
        "deploy" or "deployment" or "deployments" or "deployment.apps" or "deployments.apps" => Deployment,
        _ => null,
    };

    /// <inheritdoc />
    public override string Kind => "kubectl_strategy_check";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"{Query(context).CommandLine} (must be {_expected})");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunCheckedAsync(Query(context), cancellationToken).ConfigureAwait(false);
        var actual = result.StandardOutput.Trim();
        if (actual != _expected)
        {
            throw new ActionFailedException(
                $"{_resource} in {_namespace} has {_workload.Field} {(actual.Length == 0 ? "unset" : actual)}, but this procedure requires {_expected}; " +
                "change the manifest's strategy (or use the procedure written for it) before the run. Nothing was changed.");
        }

        return $"{_resource} in {_namespace} has {_workload.Field} {actual}";
    }

    private ToolInvocation Query(ActionContext context) =>
        KubeTools.Kubectl(context, _kubeconfig, "get", _resource, "-n", _namespace, "-o", $"jsonpath={{{_workload.Field}}}");
}
