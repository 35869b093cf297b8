using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>What the connection needs from the step runner.</summary>
internal interface IStepExecutor
{
    /// <summary>The action kinds (the Action oneof's field names, e.g. "k3s_killall") this agent can run.</summary>
    IReadOnlyList<string> SupportedActionKinds { get; }

    /// <summary>Runs <paramref name="command"/> to a terminal state, reporting every state change and output chunk.</summary>
    Task ExecuteAsync(StepCommand command, Func<StepUpdate, CancellationToken, ValueTask> report, CancellationToken cancellationToken);

    /// <summary>Asks a running step to stop (CancelStep); false when the executor does not know the step.</summary>
    bool Cancel(string runId, string stepId);
}
