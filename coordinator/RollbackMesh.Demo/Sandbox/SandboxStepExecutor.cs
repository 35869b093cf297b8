using RollbackMesh.Agent.Connection;
using RollbackMesh.V1;

namespace RollbackMesh.Demo.Sandbox;

/// <summary>Runs steps on a sandbox node: rebases the action's paths under the sandbox root, then runs the real step runner.</summary>
internal sealed class SandboxStepExecutor : IStepExecutor
{
    private readonly IStepExecutor _inner;
    private readonly SandboxRoot _root;

    /// <summary>Wraps <paramref name="inner"/> for the sandbox at <paramref name="root"/>.</summary>
    public SandboxStepExecutor(IStepExecutor inner, SandboxRoot root)
    {
        _inner = inner;
        _root = root;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> SupportedActionKinds => _inner.SupportedActionKinds;

    /// <inheritdoc />
    public Task ExecuteAsync(StepCommand command, Func<StepUpdate, CancellationToken, ValueTask> report, CancellationToken cancellationToken) =>
        _inner.ExecuteAsync(SandboxActionRebaser.Rebase(command, _root), report, cancellationToken);

    /// <inheritdoc />
    public bool Cancel(string runId, string stepId) => _inner.Cancel(runId, stepId);
}
