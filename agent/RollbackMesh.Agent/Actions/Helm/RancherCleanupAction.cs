using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>
/// rancher-cleanup before rolling back from v2.6.4+: cleanup.sh removes Rancher's resources, then verify.sh
/// must report none left (its exit code decides).
/// </summary>
internal sealed class RancherCleanupAction : AgentAction
{
    private readonly string _scriptsDir;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for a confined scripts directory.</summary>
    public RancherCleanupAction(string scriptsDir, string kubeconfig)
    {
        _scriptsDir = scriptsDir;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "rancher_cleanup";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"{Script(context, "cleanup.sh").CommandLine}\n{Script(context, "verify.sh").CommandLine}");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        await context.RunCheckedAsync(Script(context, "cleanup.sh"), cancellationToken).ConfigureAwait(false);
        await context.RunCheckedAsync(Script(context, "verify.sh"), cancellationToken).ConfigureAwait(false);
        return "rancher-cleanup done and verified";
    }

    /// <inheritdoc />
    public override async Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        (await context.QueryAsync(Script(context, "verify.sh"), cancellationToken).ConfigureAwait(false)).Succeeded;

    private ToolInvocation Script(ActionContext context, string name) => new()
    {
        FileName = context.Options.Tools.Bash,
        Arguments = [Path.Combine(_scriptsDir, name)],
        WorkingDirectory = _scriptsDir,
        Environment = new Dictionary<string, string>
        {
            ["KUBECONFIG"] = _kubeconfig.Length > 0 ? _kubeconfig : context.Options.DefaultKubeconfig,
        },
    };
}
