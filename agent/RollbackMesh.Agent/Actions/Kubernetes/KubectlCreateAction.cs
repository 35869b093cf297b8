namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>
/// `kubectl create -f MANIFEST` (e.g. a rancher-backup Restore resource, as the Rancher rollback procedure says).
/// </summary>
/// <remarks>
/// "Already done" is never claimed. An exact re-send of the step is already a no-op through the step journal; an
/// object of the same name that exists anyway was made by someone or something else (a Restore left from an earlier
/// attempt), and its existence proves nothing about this run. kubectl then fails with AlreadyExists and so does the
/// step, saying what to do, where `kubectl apply` would have printed "unchanged" and let the run carry on.
/// </remarks>
internal sealed class KubectlCreateAction : AgentAction
{
    private readonly string _manifest;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for a confined manifest path.</summary>
    public KubectlCreateAction(string manifest, string kubeconfig)
    {
        _manifest = manifest;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "kubectl_create";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(KubeTools.Kubectl(context, _kubeconfig, "create", "-f", _manifest).CommandLine);

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var invocation = KubeTools.Kubectl(context, _kubeconfig, "create", "-f", _manifest);
        var result = await context.RunAsync(invocation, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return result.StandardOutput.Trim();
        }

        var output = result.CombinedOutput.Trim();
        if (output.Contains("AlreadyExists", StringComparison.Ordinal))
        {
            throw new ActionFailedException(
                $"{invocation.CommandLine} exited {result.ExitCode}: {output}\nAn object in {_manifest} already exists. It is not " +
                "treated as done: it may be left from an earlier attempt. Check it, delete it if it is stale, and run the step again.");
        }

        throw new ActionFailedException($"{invocation.CommandLine} exited {result.ExitCode}: {output}");
    }

    /// <inheritdoc />
    public override async Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(KubeTools.Kubectl(context, _kubeconfig, "get", "-f", _manifest, "-o", "name"), cancellationToken)
            .ConfigureAwait(false);
        return result.Succeeded && result.StandardOutput.Trim().Length > 0;
    }
}
