using System.Globalization;

namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>
/// `kubectl wait --for=condition=CONDITION KIND/NAME --timeout=Ns [-n NAMESPACE]`: waits until the resource's
/// condition is True (e.g. a rancher-backup Restore's Ready once the operator has finished the restore).
/// </summary>
/// <remarks>
/// Read-only: never "already done" (kubectl returns at once when the condition already holds) and verified by
/// having succeeded. kubectl itself enforces the timeout, so a wait that gives up fails with kubectl's own
/// "timed out waiting for the condition" rather than being killed by the step deadline.
/// </remarks>
internal sealed class KubectlWaitAction : AgentAction
{
    private readonly string _resource;
    private readonly string _namespace;
    private readonly string _condition;
    private readonly TimeSpan _timeout;
    private readonly string _kubeconfig;

    /// <summary>Creates the wait for a validated resource, optional namespace (empty: none) and condition.</summary>
    public KubectlWaitAction(string resource, string ns, string condition, TimeSpan timeout, string kubeconfig)
    {
        _resource = resource;
        _namespace = ns;
        _condition = condition;
        _timeout = timeout;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "kubectl_wait";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(KubeTools.Kubectl(context, _kubeconfig, Arguments()).CommandLine);

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var invocation = KubeTools.Kubectl(context, _kubeconfig, Arguments());
        var result = await context.RunAsync(invocation, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return result.StandardOutput.Trim().Split('\n')[^1];
        }

        var output = result.CombinedOutput.Trim();
        var why = output.Contains("timed out waiting for the condition", StringComparison.Ordinal)
            ? $"{_resource} did not reach condition {_condition} within {Seconds()} s"
            : $"{invocation.CommandLine} exited {result.ExitCode}";
        throw new ActionFailedException($"{why}: {output}");
    }

    private string Seconds() => _timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);

    private string[] Arguments() => _namespace.Length == 0
        ? ["wait", $"--for=condition={_condition}", _resource, $"--timeout={Seconds()}s"]
        : ["wait", $"--for=condition={_condition}", _resource, "-n", _namespace, $"--timeout={Seconds()}s"];
}
