namespace RollbackMesh.Agent.Steps;

/// <summary>Identifies a step across resends: the coordinator's run id and the step id within it.</summary>
/// <param name="RunId">Run id.</param>
/// <param name="StepId">Step id.</param>
internal readonly record struct StepKey(string RunId, string StepId)
{
    /// <inheritdoc />
    public override string ToString() => $"run {RunId} step {StepId}";
}
