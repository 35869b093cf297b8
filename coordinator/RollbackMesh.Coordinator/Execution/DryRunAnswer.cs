namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// An agent's answer to the dry run of one step: what it would change (<see cref="Description"/>, shown in the plan)
/// and, when the step was not accepted (refused, unanswered, node not reachable), why (<see cref="Refusal"/>).
/// </summary>
internal sealed record DryRunAnswer(string Description, string? Refusal)
{
    /// <summary>True when the agent dry-ran the step and accepted its arguments.</summary>
    public bool Accepted => Refusal is null;
}
