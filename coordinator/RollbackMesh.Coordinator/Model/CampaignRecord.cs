using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Model;

/// <summary>
/// The recorded header of a campaign: one runbook rolled over many clusters. <see cref="State"/> uses the run states
/// (Running, Paused, AwaitingApproval for the gate after the canaries, then an end state). <see cref="CurrentWave"/> is
/// the wave whose clusters were started last (0: the canaries). <see cref="Approved"/> is set once the gate after the
/// canaries was passed, so a resumed campaign does not ask again.
/// </summary>
internal sealed record CampaignRecord(
    string CampaignId,
    string Runbook,
    string CampaignHash,
    ImmutableSortedDictionary<string, string> Parameters,
    RunState State,
    int Canary,
    int Parallel,
    int FailureBudget,
    bool ApproveAfterCanary,
    bool Approved,
    int CurrentWave,
    string Message,
    string StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>The parameters declared secret (masked whenever the campaign is shown).</summary>
    public ImmutableArray<string> SecretParameters { get; init; } = [];

    public bool IsFinished => State.IsFinished();
}
