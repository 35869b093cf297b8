namespace RollbackMesh.Agent.Actions.Datastores;

/// <summary>Read-only preflight: the snapshot passes a trial restore.</summary>
internal sealed class EtcdSnapshotVerifyAction : AgentAction
{
    private readonly string _snapshot;

    /// <summary>Creates the check for a confined snapshot path.</summary>
    public EtcdSnapshotVerifyAction(string snapshot) => _snapshot = snapshot;

    /// <inheritdoc />
    public override string Kind => "etcd_snapshot_verify";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"trial restore (read-only): {EtcdSnapshotVerifier.Describe(context, _snapshot)}");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        await EtcdSnapshotVerifier.VerifyAsync(context, _snapshot, cancellationToken).ConfigureAwait(false);
        return $"snapshot {_snapshot} is restorable";
    }
}
