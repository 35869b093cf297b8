using RollbackMesh.Agent.Actions.Kubernetes;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>
/// Creates the rancher-backup Restore built from typed fields (<see cref="RancherRestoreSpec"/>): the manifest is
/// written to the agent's scratch directory and created with `kubectl create -f`, so an existing Restore of the same
/// name fails the step instead of passing as "unchanged" (see <see cref="KubectlCreateAction"/>).
/// </summary>
internal sealed class RancherRestoreAction : AgentAction
{
    private readonly RancherRestoreSpec _spec;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for a validated spec.</summary>
    public RancherRestoreAction(RancherRestoreSpec spec, string kubeconfig)
    {
        _spec = spec;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "rancher_restore";

    /// <inheritdoc />
    public override async Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        await Create(context).DescribeAsync(context, cancellationToken).ConfigureAwait(false) + "\n" + _spec.ToYaml().TrimEnd();

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(context.Options.ScratchDirectory);
        await File.WriteAllTextAsync(ManifestPath(context), _spec.ToYaml(), cancellationToken).ConfigureAwait(false);
        return await Create(context).ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        Create(context).VerifyAsync(context, cancellationToken);

    private KubectlCreateAction Create(ActionContext context) => new(ManifestPath(context), _kubeconfig);

    private string ManifestPath(ActionContext context) => Path.Combine(context.Options.ScratchDirectory, $"restore-{_spec.Name}.yaml");
}
