using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Campaigns;

/// <summary>
/// Which clusters a campaign covers and how it rolls across them, as the operator asked. <see cref="Clusters"/> are
/// names in campaign order or the single entry <see cref="AllClusters"/>; <see cref="Selector"/> (key=value, or empty)
/// keeps the clusters with a node carrying that label.
/// </summary>
internal sealed record CampaignOptions(ImmutableArray<string> Clusters, string Selector, int Canary, int Parallel, int FailureBudget)
{
    /// <summary>The --clusters value meaning every cluster that has a node, by name.</summary>
    public const string AllClusters = "all";
}
