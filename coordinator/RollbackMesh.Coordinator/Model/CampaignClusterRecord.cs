namespace RollbackMesh.Coordinator.Model;

/// <summary>
/// One cluster of a campaign, in campaign order (<see cref="Ordinal"/>). <see cref="State"/> is Pending until its run
/// starts (and stays so for a cluster never started: stop the line, abort), then mirrors the run's state;
/// <see cref="RunId"/> is empty until then. The plan itself is stored beside it (fixed when the campaign was reviewed).
/// </summary>
internal sealed record CampaignClusterRecord(
    string CampaignId,
    string Cluster,
    int Ordinal,
    int Wave,
    bool Canary,
    string PlanHash,
    string RunId,
    RunState State,
    string Message,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>Its run ended and will not change.</summary>
    public bool IsFinished => State.IsFinished();

    /// <summary>Counts against the campaign's failure budget: its run failed or was aborted (or it could not start).</summary>
    public bool HasFailed => State is RunState.Failed or RunState.Aborted;
}
