using RollbackMesh.Cli.Output;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.FunctionalTests.Cli.Output;

/// <summary>The lines `campaign watch` prints: each cluster change once, with the counts, and the campaign's message when it changes.</summary>
public sealed class CampaignTextTests
{
    private static CampaignStatus Status(string message, params (string Cluster, RunState State, string RunId)[] clusters)
    {
        var status = new CampaignStatus { CampaignId = "cmp-1", Runbook = "noop", State = RunState.Running, Message = message };
        status.Clusters.Add(clusters.Select((c, i) => new CampaignClusterStatus { Cluster = c.Cluster, State = c.State, RunId = c.RunId, Wave = (uint)i, Canary = i == 0 }));
        status.Pending = (uint)clusters.Count(c => c.State == RunState.Pending);
        status.Running = (uint)clusters.Count(c => c.State == RunState.Running);
        status.Succeeded = (uint)clusters.Count(c => c.State == RunState.Succeeded);
        status.Failed = (uint)clusters.Count(c => c.State == RunState.Failed);
        return status;
    }

    [Fact]
    public void Changes_OnlyClustersThatChangedAreNamed_PendingOnesAtFirstAreNot()
    {
        var seen = new Dictionary<string, (RunState, string)>(StringComparer.Ordinal);
        var first = Status("Started canary wave: a.", ("a", RunState.Running, "run-a"), ("b", RunState.Pending, ""));
        var second = Status("Started canary wave: a.", ("a", RunState.Succeeded, "run-a"), ("b", RunState.Pending, ""));

        var atStart = CampaignText.Changes(null, first, seen).ToList();
        var later = CampaignText.Changes(first, second, seen).ToList();
        var same = CampaignText.Changes(second, second, seen).ToList();

        Assert.Equal(
            ["campaign running: Started canary wave: a.", "  canary  a running run run-a", "  0 succeeded, 0 failed, 1 running, 1 pending of 2 cluster(s)"],
            atStart);
        Assert.Equal(["  canary  a succeeded run run-a", "  1 succeeded, 0 failed, 0 running, 1 pending of 2 cluster(s)"], later);
        Assert.Empty(same);
    }
}
