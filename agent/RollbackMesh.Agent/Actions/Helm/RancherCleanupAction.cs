using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>
/// rancher-cleanup before rolling back from v2.6.4+: verify.sh lists the Rancher resources left in the cluster,
/// cleanup.sh deletes them. verify.sh always exits 0 (its last command is a pipeline); its README says the output
/// must be empty apart from deprecation warnings, so the resources it prints are what decides. There is no "already
/// done" check: with an unreachable cluster verify.sh also prints nothing on stdout, while cleanup.sh checks access first.
/// </summary>
internal sealed class RancherCleanupAction : AgentAction
{
    private const int ShownResources = 10;
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
        Task.FromResult($"{Cleanup(context).CommandLine}\n{Script(context, "verify.sh").CommandLine} (must list no resources)");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        await context.RunCheckedAsync(Cleanup(context), cancellationToken).ConfigureAwait(false);
        var remaining = await RemainingAsync(context, cancellationToken).ConfigureAwait(false);
        if (remaining.Count > 0)
        {
            var shown = string.Join(", ", remaining.Take(ShownResources)) + (remaining.Count > ShownResources ? ", ..." : string.Empty);
            throw new ActionFailedException($"verify.sh still lists {remaining.Count} Rancher resource(s) after cleanup.sh: {shown}");
        }

        return "rancher-cleanup done; verify.sh lists no Rancher resources";
    }

    /// <inheritdoc />
    public override async Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        (await RemainingAsync(context, cancellationToken).ConfigureAwait(false)).Count == 0;

    /// <summary>
    /// The resource lines verify.sh prints on stdout, without its version banner and deprecation warnings. Its stderr
    /// is not counted: kubectl reports resource types the cluster lacks (e.g. PodSecurityPolicy on 1.25+) there.
    /// </summary>
    private async Task<IReadOnlyList<string>> RemainingAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(Script(context, "verify.sh"), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ActionFailedException($"verify.sh exited {result.ExitCode}: {result.CombinedOutput}");
        }

        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("Running verify.sh", StringComparison.Ordinal)
                && !line.Contains("is deprecated", StringComparison.Ordinal))
            .ToList();
    }

    // "force" skips cleanup.sh's "Do you want to continue (y/n)?" prompt: the agent has no terminal (stdin is closed),
    // so without it the script reads EOF and exits 1. The reviewed plan and the step command are the confirmation.
    private ToolInvocation Cleanup(ActionContext context) =>
        Script(context, "cleanup.sh") with { Arguments = [Path.Combine(_scriptsDir, "cleanup.sh"), "force"] };

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
