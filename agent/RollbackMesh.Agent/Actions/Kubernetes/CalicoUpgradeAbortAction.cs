using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>`calico-upgrade abort --apiconfigv1 V1 --apiconfigv3 V3 --no-prompts` (etcd datastore downgrade).</summary>
internal sealed class CalicoUpgradeAbortAction : AgentAction
{
    private readonly string _apiConfigV1;
    private readonly string _apiConfigV3;

    /// <summary>Creates the action for confined config paths.</summary>
    public CalicoUpgradeAbortAction(string apiConfigV1, string apiConfigV3)
    {
        _apiConfigV1 = apiConfigV1;
        _apiConfigV3 = apiConfigV3;
    }

    /// <inheritdoc />
    public override string Kind => "calico_upgrade_abort";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Invocation(context).CommandLine);

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        await context.RunCheckedAsync(Invocation(context), cancellationToken).ConfigureAwait(false);
        return "calico-upgrade abort done";
    }

    // abort is interactive unless --no-prompts: it asks for confirmation on stdin, which the agent closes, and then
    // cancels with exit 1. The reviewed plan and the step command are the confirmation.
    private ToolInvocation Invocation(ActionContext context) => new()
    {
        FileName = context.Options.Tools.CalicoUpgrade,
        Arguments = ["abort", "--apiconfigv1", _apiConfigV1, "--apiconfigv3", _apiConfigV3, "--no-prompts"],
    };
}
