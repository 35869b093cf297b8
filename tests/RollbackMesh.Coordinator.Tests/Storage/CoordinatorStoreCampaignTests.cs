using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Storage;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Storage;

/// <summary>Campaigns in the store (migration 4): header, clusters with their plans, and the runs they started.</summary>
public sealed class CoordinatorStoreCampaignTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rollbackmesh-store-").FullName;

    private string DbPath => Path.Combine(_directory, "c.db");

    private static readonly DateTimeOffset Started = DateTimeOffset.FromUnixTimeMilliseconds(5000);

    private static CampaignRecord Campaign() => new(
        "cmp-1", "rb", "chash", ImmutableSortedDictionary<string, string>.Empty.Add("token", "s3cret").Add("version", "v1"),
        RunState.Running, 1, 2, 1, ApproveAfterCanary: true, Approved: false, CurrentWave: 0, "started", "alice", Started, null)
    {
        SecretParameters = ["token"],
    };

    private static (CampaignClusterRecord, Plan) Cluster(string name, int ordinal, int wave) => (
        new CampaignClusterRecord("cmp-1", name, ordinal, wave, wave == 0, "h-" + name, "", RunState.Pending, "", null, null),
        new Plan("rb", "1", "p.md", ImmutableSortedDictionary<string, string>.Empty, [], [], "h-" + name) { Cluster = name });

    [Fact]
    public async Task InsertCampaign_ThenReopen_HeaderClustersAndPlansRoundTripInCampaignOrder()
    {
        await using (var store = CoordinatorStore.Open(DbPath))
        {
            await store.InsertCampaignAsync(Campaign(), [Cluster("zeta", 0, 0), Cluster("alpha", 1, 1), Cluster("mid", 2, 1)],
                new AuditEntry(Started, "alice", "campaign.start", "cmp-1", "3 clusters"));
        }

        await using var reopened = CoordinatorStore.Open(DbPath);
        var (campaign, clusters) = reopened.LoadCampaign("cmp-1")!.Value;
        // Collections compare by reference in a record; the rest by value.
        Assert.Equal(Campaign() with { Parameters = campaign.Parameters, SecretParameters = campaign.SecretParameters }, campaign);
        Assert.Equal(Campaign().Parameters, campaign.Parameters);
        Assert.Equal(["token"], campaign.SecretParameters.ToArray());
        Assert.Equal(["zeta", "alpha", "mid"], clusters.Select(c => c.Cluster));
        Assert.Equal([0, 1, 1], clusters.Select(c => c.Wave));
        Assert.True(clusters[0].Canary);
        Assert.Equal("h-alpha", reopened.LoadCampaignPlan("cmp-1", "alpha").Hash);
        Assert.Equal("alpha", reopened.LoadCampaignPlan("cmp-1", "alpha").Cluster);
        Assert.Equal("campaign.start", Assert.Single(reopened.QueryAudit("cmp-1", 10)).What);
        Assert.Null(reopened.LoadCampaign("cmp-2"));
    }

    [Fact]
    public async Task SaveCampaign_HeaderAndChangedClustersTogether_AndTheRunItStartedFoundByCampaignAndCluster()
    {
        await using var store = CoordinatorStore.Open(DbPath);
        await store.InsertCampaignAsync(Campaign(), [Cluster("zeta", 0, 0), Cluster("alpha", 1, 1)],
            new AuditEntry(Started, "alice", "campaign.start", "cmp-1", ""));
        var plan = store.LoadCampaignPlan("cmp-1", "zeta");
        var run = new RunRecord("run-z", "rb", plan.Hash, RunState.Running, "p", "started", "alice", Started, null, "", false) { Cluster = "zeta", CampaignId = "cmp-1" };
        await store.InsertRunAsync(run, plan, [], new AuditEntry(Started, "alice", "run.start", "run-z", ""));

        var (before, clusters) = store.LoadCampaign("cmp-1")!.Value;
        var finished = Started.AddMinutes(1);
        await store.SaveCampaignAsync(before with { State = RunState.Succeeded, CurrentWave = 1, FinishedAt = finished, Message = "done" },
            [clusters[0] with { RunId = "run-z", State = RunState.Succeeded, StartedAt = Started, FinishedAt = finished }],
            new AuditEntry(finished, "alice", "campaign.end", "cmp-1", ""));

        var (after, saved) = store.LoadCampaign("cmp-1")!.Value;
        Assert.Equal((RunState.Succeeded, 1, "done", (DateTimeOffset?)finished), (after.State, after.CurrentWave, after.Message, after.FinishedAt));
        Assert.Equal(("run-z", RunState.Succeeded, (DateTimeOffset?)finished), (saved[0].RunId, saved[0].State, saved[0].FinishedAt));
        Assert.Equal(("", RunState.Pending), (saved[1].RunId, saved[1].State));
        Assert.Equal("run-z", store.FindCampaignRun("cmp-1", "zeta")?.RunId);
        Assert.Equal("cmp-1", store.LoadRun("run-z")?.Run.CampaignId);
        Assert.Null(store.FindCampaignRun("cmp-1", "alpha"));
        Assert.Equal(["cmp-1"], store.ListCampaigns(RunState.Succeeded).Select(c => c.CampaignId));
        Assert.Empty(store.ListCampaigns(RunState.Running));
    }

    [Fact]
    public async Task Open_DatabaseFromBeforeCampaigns_RunsMigratedWithoutCampaign()
    {
        using (var old = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = StoreSchema.Sql + StoreSchema.Migrations[0] + StoreSchema.Migrations[1] + StoreSchema.Migrations[2] + """
                PRAGMA user_version = 3;
                INSERT INTO runs VALUES ('r1', 'rb', 'h', '{}', 2, 'p', 'started', 'alice', 1000, NULL, '', 0, 1, 'alpha');
                """;
            command.ExecuteNonQuery();
        }

        await using var store = CoordinatorStore.Open(DbPath);

        Assert.Equal("", Assert.Single(store.ListRuns()).CampaignId);
        Assert.Empty(store.ListCampaigns());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
