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
        var reset = Invocation(context).CommandLine;
        return Task.FromResult($"{EtcdSnapshotVerifier.Describe(context, _snapshot)}\n{reset}");
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        await EtcdSnapshotVerifier.VerifyAsync(context, _snapshot, cancellationToken).ConfigureAwait(false);
        await context.RunCheckedAsync(Invocation(context), cancellationToken).ConfigureAwait(false);
        return $"cluster reset from {_snapshot}";
    }

    // The token goes in K3S_TOKEN, which k3s reads for --token (docs.k3s.io/cli/token): as an argument it would be
    // world-readable in /proc/PID/cmdline and would be quoted in the failure message the journal keeps.
    private ToolInvocation Invocation(ActionContext context) => new()
    {
        FileName = context.Options.Tools.K3s,
        Arguments = ["server", "--cluster-reset", $"--cluster-reset-restore-path={_snapshot}"],
        SecretEnvironment = _token.Length > 0 ? new Dictionary<string, string> { ["K3S_TOKEN"] = _token } : new Dictionary<string, string>(),
    };
}
