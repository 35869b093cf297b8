namespace RollbackMesh.Agent.Actions.Verification;

/// <summary>Sleeps for a while and succeeds; for benchmarks and tests of the step machinery.</summary>
internal sealed class NoOpAction : AgentAction
{
    private readonly TimeSpan _sleep;

    /// <summary>Creates the action.</summary>
    public NoOpAction(TimeSpan sleep) => _sleep = sleep;

    /// <inheritdoc />
    public override string Kind => "no_op";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"sleep {_sleep.TotalMilliseconds:0} ms");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (_sleep > TimeSpan.Zero)
        {
            await Task.Delay(_sleep, context.Time, cancellationToken).ConfigureAwait(false);
        }

        return $"slept {_sleep.TotalMilliseconds:0} ms";
    }
}
