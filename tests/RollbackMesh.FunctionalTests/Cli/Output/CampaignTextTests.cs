using RollbackMesh.Cli.Output;
using RollbackMesh.V1;
using Spectre.Console.Testing;
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

    [Fact]
    public void LiveView_ThousandClustersWithFailures_OneRowPerWaveAndTheFailingClustersNamed()
    {
        var clusters = Enumerable.Range(0, 1000).Select(i => ($"edge-{i:0000}", i switch
        {
            0 => RunState.Succeeded,
            < 400 => i % 97 == 0 ? RunState.Failed : RunState.Succeeded,
            < 500 => RunState.Running,
            _ => RunState.Pending,
        }, i < 500 ? $"run-{i}" : "")).ToArray();
        var status = Status("Started wave 5: ...", clusters);
        for (var i = 0; i < status.Clusters.Count; i++)
        {
            status.Clusters[i].Wave = i == 0 ? 0u : (uint)(1 + ((i - 1) / 100));
            status.Clusters[i].Message = status.Clusters[i].State == RunState.Failed ? "phase servers failed" : "";
        }

        var console = new TestConsole().Width(140);
        console.Write(LiveCampaignView.Render(status, ["12:00:00 wave 5 edge-0401 running"]));
        var text = console.Output.TrimEnd();
        var lines = text.Split('\n');

        Assert.True(lines.Length <= 45, $"{lines.Length} lines:\n{text}");
        Assert.Contains("Failing clusters (4):", text, StringComparison.Ordinal);
        Assert.Contains("edge-0097: failed (rollbackmesh watch run-97) — phase servers failed", text, StringComparison.Ordinal);
        Assert.Contains("Running (100):", text, StringComparison.Ordinal);
        Assert.Contains($"and {100 - LiveCampaignView.NamesShown} more", text, StringComparison.Ordinal);
        var wave5 = Assert.Single(lines, l => l.Contains("> wave 5", StringComparison.Ordinal));
        Assert.Contains("99 running", wave5, StringComparison.Ordinal);
        Assert.Contains("1 waiting", wave5, StringComparison.Ordinal);
        Assert.Contains(" 0%", wave5, StringComparison.Ordinal);
        var wave1 = Assert.Single(lines, l => l.Contains("wave 1 ", StringComparison.Ordinal));
        Assert.Contains("1 failed", wave1, StringComparison.Ordinal);
        Assert.Contains("100%", wave1, StringComparison.Ordinal);
    }
}
