namespace RollbackMesh.Coordinator.Campaigns;

/// <summary>No campaign with this id exists.</summary>
internal sealed class CampaignNotFoundException(string campaignId) : Exception($"Campaign '{campaignId}' does not exist.")
{
    public string CampaignId { get; } = campaignId;
}
