namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// The recorded state of one plan step in one run. <see cref="Ordinal"/> is its position in plan order
/// (preflight first). <see cref="DispatchCount"/> counts commands sent for it (a resend after a restart reuses the
/// step id, which the agent's journal makes safe).
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
    int DispatchCount);
