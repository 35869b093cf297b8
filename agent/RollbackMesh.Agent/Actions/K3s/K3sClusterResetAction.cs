using RollbackMesh.Agent.Actions.Datastores;
using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.K3s;

/// <summary>
/// `k3s server --cluster-reset --cluster-reset-restore-path=SNAPSHOT` on the first server. The snapshot must
/// pass a trial restore first; k3s is not invoked at all when it does not.
/// </summary>
internal sealed class K3sClusterResetAction : AgentAction
{
    private readonly string _snapshot;
    private readonly string _token;

    /// <summary>Creates the action for a confined snapshot path.</summary>
    public K3sClusterResetAction(string snapshot, string token)
    {
        _snapshot = snapshot;
        _token = token;
    }

    /// <inheritdoc />
    public override string Kind => "k3s_cluster_reset";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var reset = Invocation(context, _token.Length > 0 ? "********" : string.Empty).CommandLine;
        return Task.FromResult($"{EtcdSnapshotVerifier.Describe(context, _snapshot)}\n{reset}");
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        await EtcdSnapshotVerifier.VerifyAsync(context, _snapshot, cancellationToken).ConfigureAwait(false);
        await context.RunCheckedAsync(Invocation(context, _token), cancellationToken).ConfigureAwait(false);
        return $"cluster reset from {_snapshot}";
    }

    private ToolInvocation Invocation(ActionContext context, string token)
    {
        List<string> args = ["server", "--cluster-reset", $"--cluster-reset-restore-path={_snapshot}"];
        if (token.Length > 0)
        {
            args.Add($"--token={token}");
        }

        return new ToolInvocation { FileName = context.Options.Tools.K3s, Arguments = args };
    }
}
