using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Campaigns;

/// <summary>
/// A runbook compiled for every cluster of a campaign: <see cref="Clusters"/> in campaign order, each with its own
/// cluster-scoped plan and wave, and <see cref="Hash"/> over all of it (<see cref="CampaignHasher"/>), so `campaign
/// apply` runs what was reviewed. <see cref="Options"/> holds the resolved cluster names.
/// </summary>
internal sealed record CampaignPlan(
    string Runbook,
    ImmutableSortedDictionary<string, string> Parameters,
    ImmutableArray<string> SecretParameters,
    CampaignOptions Options,
    ImmutableArray<CampaignClusterPlan> Clusters,
    string Hash)
{
    /// <summary>How many waves follow the canaries.</summary>
    public int Waves => Clusters.Where(c => !c.Canary).Select(c => c.Wave).Distinct().Count();
}

/// <summary>One cluster of a campaign: its plan, and when it runs (wave 0 is the canaries).</summary>
internal sealed record CampaignClusterPlan(string Cluster, int Wave, bool Canary, Plan Plan);
