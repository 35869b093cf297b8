using System.Collections.Immutable;
using RollbackMesh.Coordinator.Campaigns;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Campaigns;

/// <summary>Choosing a campaign's clusters, refusing bad options, and the per-cluster plans and campaign hash.</summary>
public sealed class CampaignPlannerTests
{
    private static readonly PlanningNode[] Fleet =
    [
        new("a1", ["first-server"], ImmutableDictionary<string, string>.Empty.Add("site", "edge"), "alpha"),
        new("b1", ["first-server"], ImmutableDictionary<string, string>.Empty.Add("site", "core"), "beta"),
        new("g1", ["first-server"], ImmutableDictionary<string, string>.Empty.Add("site", "edge"), "gamma"),
    ];

    private static CampaignOptions Options(string clusters, int canary = 1, int parallel = 1, int budget = 1, string selector = "") =>
        new([.. clusters.Split(',')], selector, canary, parallel, budget);

    private static string Refusal(CampaignOptions options)
    {
        var refusal = Assert.Throws<OperatorException>(() => CampaignPlanner.Resolve(Fleet, options));
        Assert.Equal(OperatorErrorCode.InvalidArgument, refusal.Code);
        return refusal.Message;
    }

    [Fact]
    public void Resolve_NamesInTheOrderGiven_AllByName_SelectorKeepsLabelledClusters()
    {
        Assert.Equal(["gamma", "alpha"], CampaignPlanner.Resolve(Fleet, Options("gamma,alpha")).ToArray());
        Assert.Equal(["alpha", "beta", "gamma"], CampaignPlanner.Resolve(Fleet, Options("all")).ToArray());
        Assert.Equal(["alpha", "gamma"], CampaignPlanner.Resolve(Fleet, Options("all", selector: "site=edge")).ToArray());
    }

    [Fact]
    public void Resolve_UnknownCluster_RefusedNamingItAndTheKnownOnes() =>
        Assert.Contains("no node is in cluster 'delta' (known clusters: alpha, beta, gamma)", Refusal(Options("alpha,delta")), StringComparison.Ordinal);

    [Fact]
    public void Resolve_EveryBadOption_AllListedInOneRefusal()
    {
        var message = Refusal(Options("alpha,beta", canary: 3, parallel: 0, budget: 0));

        Assert.Contains("parallel must be at least 1 (got 0)", message, StringComparison.Ordinal);
        Assert.Contains("failure budget must be at least 1", message, StringComparison.Ordinal);
        Assert.Contains("canary 3 is more than the campaign's 2 cluster(s) (alpha, beta)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("all,alpha", "--clusters all cannot be combined with cluster names (alpha)")]
    [InlineData("alpha,alpha", "cluster 'alpha' is named 2 times")]
    [InlineData(",", "no cluster named")]
    public void Resolve_BadClusterList_Refused(string clusters, string expected) =>
        Assert.Contains(expected, Refusal(Options(clusters, canary: 0)), StringComparison.Ordinal);

    [Theory]
    [InlineData("site", "selector 'site' is not key=value")]
    [InlineData("site=moon", "no chosen cluster has a node labelled site=moon")]
    public void Resolve_BadSelector_Refused(string selector, string expected) =>
        Assert.Contains(expected, Refusal(Options("all", canary: 0, selector: selector)), StringComparison.Ordinal);

    [Fact]
    public async Task Plan_RealCatalogue_OnePlanPerClusterWithItsOwnHashAndWavesAndAHashThatFollowsTheOrder()
    {
        await using var fleet = await CampaignFleet.StartAsync(4);
        var request = new V1.PlanCampaignRequest { Runbook = "noop", Options = CampaignFleet.Options(canary: 1, parallel: 2) };

        var plan = await fleet.Operations.PlanAsync(request, "alice", default);

        Assert.Equal(["c1", "c2", "c3", "c4"], plan.Clusters.Select(c => c.Cluster));
        Assert.Equal([0u, 1u, 1u, 2u], plan.Clusters.Select(c => c.Wave));
        Assert.Equal([true, false, false, false], plan.Clusters.Select(c => c.Canary));
        Assert.Equal(4, plan.Clusters.Select(c => c.PlanHash).Distinct().Count());
        Assert.All(plan.Clusters, c => Assert.Equal(c.Cluster, c.Plan.Cluster));
        Assert.Equal(2u, plan.Waves);
        Assert.StartsWith("sha256:", plan.CampaignHash, StringComparison.Ordinal);
        Assert.Equal(plan.CampaignHash, (await fleet.Operations.PlanAsync(request, "alice", default)).CampaignHash);
        var reordered = new V1.PlanCampaignRequest { Runbook = "noop", Options = CampaignFleet.Options(1, 2, 1, "c2", "c1", "c3", "c4") };
        Assert.NotEqual(plan.CampaignHash, (await fleet.Operations.PlanAsync(reordered, "alice", default)).CampaignHash);
        var wider = new V1.PlanCampaignRequest { Runbook = "noop", Options = CampaignFleet.Options(canary: 1, parallel: 3) };
        Assert.NotEqual(plan.CampaignHash, (await fleet.Operations.PlanAsync(wider, "alice", default)).CampaignHash);
    }

    [Fact]
    public async Task Start_HashNotTheReviewedOne_RefusedAndAuditedAndNothingRecorded()
    {
        await using var fleet = await CampaignFleet.StartAsync(2);

        var refusal = await Assert.ThrowsAsync<OperatorException>(() => fleet.Operations.StartAsync(new V1.StartCampaignRequest
        {
            Runbook = "noop", Options = CampaignFleet.Options(canary: 1, parallel: 1), CampaignHash = "sha256:0000",
        }, "alice", default));

        Assert.Equal(OperatorErrorCode.FailedPrecondition, refusal.Code);
        Assert.Contains("reviewed hash sha256:0000, current hash sha256:", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(fleet.Fleet.Store.ListCampaigns());
        Assert.Contains(fleet.Fleet.Store.QueryAudit("", 10), e => e.What == "campaign.start_refused" && e.Who == "alice");
    }

    [Fact]
    public async Task ListRuns_CampaignsJoinTheRunsAndClusterRunsCarryTheCampaignId()
    {
        await using var fleet = await CampaignFleet.StartAsync(2);
        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 1, parallel: 1));
        await fleet.WaitForEndAsync(started.CampaignId);

        var listed = fleet.Operator.ListRuns(new V1.ListRunsRequest(), "alice").Runs;

        var campaign = Assert.Single(listed, r => r.Kind == "campaign");
        Assert.Equal((started.CampaignId, "noop", V1.RunState.Succeeded, ""), (campaign.Id, campaign.Runbook, campaign.State, campaign.Cluster));
        Assert.Equal(["c1", "c2"], listed.Where(r => r.Kind == "run").Select(r => r.Cluster).Order());
        Assert.All(listed.Where(r => r.Kind == "run"), r => Assert.Equal(started.CampaignId, r.CampaignId));
        Assert.DoesNotContain(fleet.Operator.ListRuns(new V1.ListRunsRequest { Cluster = "c1" }, "alice").Runs, r => r.Kind == "campaign");
    }
}
