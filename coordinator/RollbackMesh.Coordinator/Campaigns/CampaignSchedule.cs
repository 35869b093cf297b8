using System.Collections.Immutable;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Campaigns;

/// <summary>What a campaign does next, given its header and clusters now (<see cref="CampaignSchedule.Next"/>).</summary>
internal abstract record CampaignStep
{
    /// <summary>Nothing to do until a cluster run ends or an operator acts.</summary>
    public sealed record Wait : CampaignStep;

    /// <summary>Start these (pending) clusters of <paramref name="Wave"/>.</summary>
    public sealed record StartWave(int Wave, ImmutableArray<string> Clusters) : CampaignStep;

    /// <summary>The canaries succeeded; the operator's approval is needed before the first wave.</summary>
    public sealed record AwaitApproval : CampaignStep;

    /// <summary>The line stopped; runs still going are waited for, nothing new starts. <paramref name="Message"/> says why.</summary>
    public sealed record StopTheLine(string Message) : CampaignStep;

    /// <summary>The campaign ends in <paramref name="State"/>.</summary>
    public sealed record Finish(RunState State, string Message) : CampaignStep;
}

/// <summary>
/// The campaign's rules as one pure function. The canaries (wave 0) run first and must all end Succeeded; then, after
/// the optional approval, waves 1, 2, ... in turn, a wave starting only once every earlier cluster has ended. When a
/// canary did not succeed, or <c>failure_budget</c> clusters have failed (Failed or Aborted), no new cluster starts
/// (stop the line): the campaign waits for its running clusters and ends Failed. A paused campaign starts nothing.
/// With every cluster ended, it is Succeeded when all succeeded, else SucceededWithFailures (failed clusters within
/// the budget, or clusters that finished with failed nodes).
/// </summary>
internal static class CampaignSchedule
{
    public static CampaignStep Next(CampaignRecord campaign, IReadOnlyList<CampaignClusterRecord> clusters)
    {
        if (campaign.IsFinished)
        {
            return new CampaignStep.Wait();
        }

        var running = clusters.Count(c => c.State != RunState.Pending && !c.IsFinished);
        var failed = clusters.Where(c => c.HasFailed).Select(c => c.Cluster).ToList();
        var badCanaries = clusters.Where(c => c.Canary && c.IsFinished && c.State != RunState.Succeeded).Select(c => c.Cluster).ToList();
        var notStarted = clusters.Where(c => c.State == RunState.Pending).Select(c => c.Cluster).ToList();
        string? stop = null;
        if (badCanaries.Count > 0)
        {
            stop = $"Stopped the line: canary cluster(s) {string.Join(", ", badCanaries)} did not succeed";
        }
        else if (failed.Count >= campaign.FailureBudget)
        {
            stop = $"Stopped the line: {failed.Count} cluster(s) failed ({string.Join(", ", failed)}), failure budget {campaign.FailureBudget}";
        }

        if (stop is not null)
        {
            var tail = notStarted.Count > 0 ? $"; {notStarted.Count} cluster(s) not started ({Clip(notStarted)})" : "";
            return running > 0
                ? new CampaignStep.StopTheLine($"{stop}; waiting for {running} running cluster(s){tail}.")
                : new CampaignStep.Finish(RunState.Failed, stop + tail + ".");
        }

        if (notStarted.Count == 0 && running == 0)
        {
            var notClean = clusters.Where(c => c.State != RunState.Succeeded).Select(c => c.Cluster).ToList();
            return notClean.Count == 0
                ? new CampaignStep.Finish(RunState.Succeeded, $"All {clusters.Count} cluster(s) succeeded.")
                : new CampaignStep.Finish(RunState.SucceededWithFailures,
                    $"{clusters.Count - notClean.Count} of {clusters.Count} cluster(s) succeeded; not cleanly: {Clip(notClean)} ({failed.Count} failed, within the failure budget {campaign.FailureBudget}).");
        }

        if (campaign.State == RunState.Paused || notStarted.Count == 0)
        {
            return new CampaignStep.Wait();
        }

        var next = clusters.Where(c => c.State == RunState.Pending).Min(c => c.Wave);
        if (clusters.Any(c => c.Wave < next && !c.IsFinished))
        {
            return new CampaignStep.Wait();
        }

        if (next > 0 && campaign.ApproveAfterCanary && !campaign.Approved && clusters.Any(c => c.Canary))
        {
            return new CampaignStep.AwaitApproval();
        }

        return new CampaignStep.StartWave(next, [.. clusters.Where(c => c.Wave == next && c.State == RunState.Pending).Select(c => c.Cluster)]);
    }

    private static string Clip(IReadOnlyList<string> names) =>
        names.Count <= 10 ? string.Join(", ", names) : string.Join(", ", names.Take(10)) + $" and {names.Count - 10} more";
}
