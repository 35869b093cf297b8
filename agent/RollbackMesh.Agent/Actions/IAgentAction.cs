namespace RollbackMesh.Agent.Actions;

/// <summary>
/// One typed, allow-listed node action. Paths and names were validated and confined when the action was
/// built (<see cref="ActionFactory"/>), so an instance only ever touches what it was allowed to.
/// </summary>
internal interface IAgentAction
{
    /// <summary>The wire name of the action kind (e.g. "felix_config").</summary>
    string Kind { get; }

    /// <summary>Dry run: what would change (a unified diff, the exact command lines). Changes nothing.</summary>
    Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken);

    /// <summary>True when the post-condition already holds, so running again would be a no-op.</summary>
    Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken);

    /// <summary>Does the work, streaming output lines through <see cref="ActionContext.Output"/>; returns a summary.</summary>
    /// <exception cref="ActionFailedException">The action failed; the message says why.</exception>
    Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken);

    /// <summary>Checks the post-condition after <see cref="ExecuteAsync"/>.</summary>
    Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken);
}
