using RollbackMesh.Agent.Actions.Kubernetes;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Actions;

/// <summary>Validation of <see cref="V1.KubectlStrategyCheck"/>: only DaemonSets and Deployments, only strategies they have.</summary>
internal sealed partial class ActionFactory
{
    private KubectlStrategyCheckAction StrategyCheck(V1.KubectlStrategyCheck step, Validation v)
    {
        var resource = v.Shaped(step.Resource, ResourceRegex(), "resource", "kind/name such as ds/calico-node");
        var workload = KubectlStrategyCheckAction.WorkloadOf(resource);
        if (workload is null)
        {
            v.Problem($"resource '{step.Resource}' is not a DaemonSet or Deployment (ds/NAME, deployment/NAME): only they have an update strategy");
            workload = new KubectlStrategyCheckAction.Workload(string.Empty, []);
        }
        else if (!workload.Strategies.Contains(step.Expected, StringComparer.Ordinal))
        {
            v.Problem($"expected '{step.Expected}' is not a strategy of {resource} ({string.Join(", ", workload.Strategies)})");
        }

        return new KubectlStrategyCheckAction(
            resource, v.Name(step.Namespace, "namespace"), workload, step.Expected, step.Kubeconfig);
    }
}
