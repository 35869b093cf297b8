namespace RollbackMesh.Coordinator.Model;

/// <summary>
/// The recorded state of one plan step in one run. <see cref="Ordinal"/> is its position in plan order
/// (preflight first). <see cref="DispatchCount"/> counts commands sent for it (a resend after a restart or a
/// reconnect reuses the step id, which the agent's journal makes safe). <see cref="Attempt"/> counts the tries of
/// the step: a retry of a failed run starts attempt 2 under a new agent-side id (<see cref="StepAttempts"/>), so the
/// agent runs it again instead of answering with the failure its journal holds.
/// </summary>
internal sealed record StepRecord(
    string RunId,
    string StepId,
    int Ordinal,
    string Node,
    string Phase,
    string Name,
    StepState State,
    string Summary,
    string Error,
    DateTimeOffset UpdatedAt,
    bool Approved,
    int DispatchCount)
{
    /// <summary>The error of a step skipped because its node failed earlier, followed by the phase it failed in.</summary>
    public const string NodeFailedPrefix = "node failed in phase ";

    /// <summary>1 for the first try; a retry of the run gives a failed step the next one.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The id the agent knows this attempt by.</summary>
    public string WireId => StepAttempts.WireId(StepId, Attempt);

    /// <summary>Skipped by the coordinator because the node failed (not by the agent because it was already done).</summary>
    public bool SkippedForFailure => State == StepState.Skipped && Error.StartsWith(NodeFailedPrefix, StringComparison.Ordinal);
}
