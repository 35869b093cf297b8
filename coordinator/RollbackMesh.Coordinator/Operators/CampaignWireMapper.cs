using Google.Protobuf.WellKnownTypes;
using RollbackMesh.Coordinator.Campaigns;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Operators;

/// <summary>Maps campaigns and campaign plans to the Operator service's messages; secret parameter values are masked.</summary>
internal static class CampaignWireMapper
{
    public static V1.CampaignOptions ToWire(CampaignOptions options)
    {
        var wire = new V1.CampaignOptions
        {
            Selector = options.Selector, Canary = (uint)options.Canary, Parallel = (uint)options.Parallel, FailureBudget = (uint)options.FailureBudget,
        };
        wire.Clusters.Add(options.Clusters);
        return wire;
    }

    /// <summary>The options as asked; counts beyond int are clamped so the planner reports them as too large, not as negative.</summary>
    public static CampaignOptions FromWire(V1.CampaignOptions? options) => options is null
        ? new CampaignOptions([], "", 0, 0, 0)
        : new CampaignOptions([.. options.Clusters], options.Selector.Trim(), Clamp(options.Canary), Clamp(options.Parallel), Clamp(options.FailureBudget));

    public static V1.CampaignPlanResponse ToWire(CampaignPlan plan)
    {
        var response = new V1.CampaignPlanResponse
        {
            Runbook = plan.Runbook, CampaignHash = plan.Hash, Options = ToWire(plan.Options), Waves = (uint)plan.Waves,
        };
        response.Parameters.Add(Mask(plan.Parameters, plan.SecretParameters));
        response.Clusters.Add(plan.Clusters.Select(c =>
        {
            var wirePlan = OperatorWireMapper.ToWire(c.Plan);
            wirePlan.Preflight.Add(c.Plan.Preflight.Select(s => $"{s.Node}: will check {s.Name} before anything changes"));
            return new V1.CampaignPlannedCluster
            {
                Cluster = c.Cluster, PlanHash = c.Plan.Hash, Wave = (uint)c.Wave, Canary = c.Canary,
                Nodes = (uint)c.Plan.AllSteps.Select(s => s.Node).Distinct(StringComparer.Ordinal).Count(),
                Steps = (uint)(c.Plan.Preflight.Length + c.Plan.AllSteps.Count()),
                Plan = wirePlan,
            };
        }));
        return response;
    }

    /// <param name="live">A started cluster's run as it is now (its state may be PAUSED or AWAITING_APPROVAL inside).</param>
    public static V1.CampaignStatus ToWire(CampaignSnapshot snapshot, Func<string, RunRecord?> live)
    {
        var campaign = snapshot.Campaign;
        var status = new V1.CampaignStatus
        {
            CampaignId = campaign.CampaignId,
            Runbook = campaign.Runbook,
            CampaignHash = campaign.CampaignHash,
            State = (V1.RunState)(int)campaign.State,
            Canary = (uint)campaign.Canary,
            Parallel = (uint)campaign.Parallel,
            FailureBudget = (uint)campaign.FailureBudget,
            ApproveAfterCanary = campaign.ApproveAfterCanary,
            CurrentWave = (uint)Math.Max(0, campaign.CurrentWave),
            Message = campaign.Message,
            StartedBy = campaign.StartedBy,
            StartedAt = Timestamp.FromDateTimeOffset(campaign.StartedAt),
            FinishedAt = campaign.FinishedAt is { } f ? Timestamp.FromDateTimeOffset(f) : null,
        };
        status.Parameters.Add(Mask(campaign.Parameters, campaign.SecretParameters));
        foreach (var cluster in snapshot.Clusters)
        {
            var run = cluster.RunId.Length > 0 && !cluster.IsFinished ? live(cluster.RunId) : null;
            var state = run?.State ?? cluster.State;
            status.Clusters.Add(new V1.CampaignClusterStatus
            {
                Cluster = cluster.Cluster,
                PlanHash = cluster.PlanHash,
                RunId = cluster.RunId,
                State = (V1.RunState)(int)state,
                Wave = (uint)cluster.Wave,
                Canary = cluster.Canary,
                Message = run?.Message ?? cluster.Message,
                StartedAt = cluster.StartedAt is { } s ? Timestamp.FromDateTimeOffset(s) : null,
                FinishedAt = (run?.FinishedAt ?? cluster.FinishedAt) is { } e ? Timestamp.FromDateTimeOffset(e) : null,
            });
        }

        status.Pending = (uint)snapshot.Clusters.Count(c => c.State == RunState.Pending);
        status.Running = (uint)snapshot.Clusters.Count(c => c.State != RunState.Pending && !c.IsFinished);
        status.Succeeded = (uint)snapshot.Clusters.Count(c => c.State is RunState.Succeeded or RunState.SucceededWithFailures);
        status.Failed = (uint)snapshot.Clusters.Count(c => c.HasFailed);
        return status;
    }

    /// <summary>A campaign as <c>runs</c> lists it (kind "campaign", no cluster of its own).</summary>
    public static V1.RunListEntry ToListEntry(CampaignRecord campaign) => new()
    {
        Id = campaign.CampaignId,
        Kind = "campaign",
        Runbook = campaign.Runbook,
        Cluster = "",
        State = (V1.RunState)(int)campaign.State,
        StartedAt = Timestamp.FromDateTimeOffset(campaign.StartedAt),
        FinishedAt = campaign.FinishedAt is { } f ? Timestamp.FromDateTimeOffset(f) : null,
        PlanHash = campaign.CampaignHash,
        StartedBy = campaign.StartedBy,
        CurrentPhase = campaign.CurrentWave switch { < 0 => "", 0 => "canary", var w => $"wave {w}" },
        Message = campaign.Message,
        Attempt = 1,
    };

    private static Dictionary<string, string> Mask(IReadOnlyDictionary<string, string> parameters, IReadOnlyCollection<string> secret) =>
        parameters.ToDictionary(p => p.Key, p => secret.Contains(p.Key) && p.Value.Length > 0 ? Plan.SecretMask : p.Value, StringComparer.Ordinal);

    private static int Clamp(uint value) => (int)Math.Min(value, int.MaxValue);
}
