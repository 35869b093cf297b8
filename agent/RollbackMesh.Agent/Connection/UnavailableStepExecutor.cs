using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>
/// Used until the step runner is wired in: refuses every step with a clear error instead of ignoring it, so the
/// coordinator never waits on a step this agent cannot run.
/// </summary>
internal sealed class UnavailableStepExecutor : IStepExecutor
{
    /// <inheritdoc />
    public IReadOnlyList<string> SupportedActionKinds => [];

    /// <inheritdoc />
    public async Task ExecuteAsync(StepCommand command, Func<StepUpdate, CancellationToken, ValueTask> report, CancellationToken cancellationToken)
    {
        var result = new StepResult { State = StepState.Refused, Error = "this agent has no step runner" };
        await report(new StepUpdate { RunId = command.RunId, StepId = command.StepId, State = StepState.Refused, Result = result }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public bool Cancel(string runId, string stepId) => false;
}
