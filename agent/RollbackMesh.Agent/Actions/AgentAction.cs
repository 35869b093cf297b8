namespace RollbackMesh.Agent.Actions;

/// <summary>
/// Base for actions whose "already done" is the same check as their verification, and read-only actions
/// (checks, waits) that are never "already done" and verify by having succeeded.
/// </summary>
internal abstract class AgentAction : IAgentAction
{
    /// <inheritdoc />
    public abstract string Kind { get; }

    /// <inheritdoc />
    public abstract Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    /// <inheritdoc />
    public abstract Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(true);
}
