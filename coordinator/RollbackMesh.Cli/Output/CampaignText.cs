using System.Globalization;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Output;

/// <summary>How campaigns are shown as text: a header with counts, a table of clusters, and watch's change lines.</summary>
internal static class CampaignText
{
    public static string Header(CampaignStatus status) =>
        $"Campaign {status.CampaignId} ({status.Runbook}): {Format.State(status.State)} — {Counts(status)}";

    public static string Counts(CampaignStatus status) =>
        $"{status.Succeeded} succeeded, {status.Failed} failed, {status.Running} running, {status.Pending} pending of {status.Clusters.Count} cluster(s)";

    public static void Write(CliOutput output, CampaignStatus status)
    {
        output.Line(Header(status));
        if (status.Message.Length > 0)
        {
            output.Line("  " + status.Message);
        }

        output.Line($"  canary {status.Canary}, parallel {status.Parallel}, failure budget {status.FailureBudget}{(status.ApproveAfterCanary ? ", approval after the canaries" : "")}; started by {status.StartedBy} at {Format.Time(status.StartedAt)}");
        var table = new TextTable("WAVE", "CLUSTER", "STATE", "RUN", "MESSAGE");
        foreach (var cluster in status.Clusters)
        {
            table.Add(Wave(cluster), cluster.Cluster, Format.State(cluster.State), cluster.RunId.Length > 0 ? cluster.RunId : "-", Clip(cluster.Message));
        }

        output.Table(table);
    }

    /// <summary>
    /// The lines a watch prints for <paramref name="next"/>: the campaign's message when it changed, and each cluster whose
    /// state or run changed since <paramref name="seen"/> (which it updates), with the counts after it.
    /// </summary>
    public static IEnumerable<string> Changes(CampaignStatus? previous, CampaignStatus next, Dictionary<string, (RunState State, string RunId)> seen)
    {
        if (previous is null || previous.Message != next.Message || previous.State != next.State)
        {
            yield return $"campaign {Format.State(next.State)}: {next.Message}";
        }

        var changed = false;
        foreach (var cluster in next.Clusters)
        {
            var now = (cluster.State, cluster.RunId);
            if (seen.TryGetValue(cluster.Cluster, out var before) && before == now)
            {
                continue;
            }

            var first = !seen.ContainsKey(cluster.Cluster);
            seen[cluster.Cluster] = now;
            if (first && cluster.State == RunState.Pending)
            {
                continue;   // pending clusters are not news
            }

            changed = true;
            var run = cluster.RunId.Length > 0 ? $" run {cluster.RunId}" : "";
            var why = cluster.State is RunState.Failed or RunState.Aborted or RunState.SucceededWithFailures && cluster.Message.Length > 0 ? $": {Clip(cluster.Message)}" : "";
            yield return $"  {Wave(cluster),-7} {cluster.Cluster} {Format.State(cluster.State)}{run}{why}";
        }

        if (changed)
        {
            yield return "  " + Counts(next);
        }
    }

    private static string Wave(CampaignClusterStatus cluster) =>
        cluster.Canary ? "canary" : "wave " + cluster.Wave.ToString(CultureInfo.InvariantCulture);

    private static string Clip(string text) => text.Length <= 100 ? text : text[..100] + "...";
}
