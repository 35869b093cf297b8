using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Model;

/// <summary>A campaign and all of its clusters (in campaign order) at one moment.</summary>
internal sealed record CampaignSnapshot(CampaignRecord Campaign, ImmutableArray<CampaignClusterRecord> Clusters);

/// <summary>One change of a campaign, as watchers see it: when, what happened, and the campaign afterwards.</summary>
internal sealed record CampaignEventRecord(DateTimeOffset At, string Message, CampaignSnapshot Snapshot);
