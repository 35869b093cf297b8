using RollbackMesh.Coordinator.Campaigns;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Campaigns;

/// <summary>Campaigns over simulated clusters: canary first, waves, stop the line, operator commands, restarts.</summary>
public sealed class CampaignExecutorTests
{
    private static RunRecord RunOf(CampaignFleet fleet, CampaignClusterRecord cluster) => fleet.Fleet.Executor.Get(cluster.RunId).Run;

    [Fact]
    public async Task Apply_CanaryOneParallelTwo_CanaryAloneFirstThenWavesOfAtMostTwoEachAfterTheLast()
    {
        var probe = new ConcurrencyProbe();
        await using var fleet = await CampaignFleet.StartAsync(5, _ => StepBehavior.Ok(80), probe);

        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 1, parallel: 2));
        var end = await fleet.WaitForEndAsync(started.CampaignId);

        Assert.Equal(RunState.Succeeded, end.Campaign.State);
        Assert.Equal([0, 1, 1, 2, 2], end.Clusters.Select(c => c.Wave));
        Assert.True(probe.Peak <= 2, $"{probe.Peak} clusters ran steps at once");
        var runs = end.Clusters.Select(c => RunOf(fleet, c)).ToList();
        Assert.All(runs, r => Assert.Equal((RunState.Succeeded, started.CampaignId), (r.State, r.CampaignId)));
        Assert.All(runs.Skip(1), r => Assert.True(runs[0].FinishedAt <= r.StartedAt, "a cluster started before the canary ended"));
        Assert.All(runs.Skip(3), r => Assert.True(runs[1].FinishedAt <= r.StartedAt && runs[2].FinishedAt <= r.StartedAt, "wave 2 started before wave 1 ended"));
        Assert.Equal(["campaign.plan", "campaign.start", "campaign.wave", "campaign.wave", "campaign.wave", "campaign.end"],
            fleet.AuditOf(started.CampaignId).Where(w => w != "campaign.plan").Prepend("campaign.plan"));
        Assert.All(fleet.Fleet.Agents.Values, a => Assert.All(a.Executions.Values, n => Assert.Equal(1, n)));
    }

    [Fact]
    public async Task Apply_CanaryFails_NoOtherClusterStartsAndTheLineStopIsSaidAndAudited()
    {
        await using var fleet = await CampaignFleet.StartAsync(3, cluster => cluster == "c1" ? StepBehavior.Fail("broken") : StepBehavior.Ok());

        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 1, parallel: 2, budget: 5));
        var end = await fleet.WaitForEndAsync(started.CampaignId);

        Assert.Equal(RunState.Failed, end.Campaign.State);
        Assert.StartsWith("Stopped the line: canary cluster(s) c1 did not succeed", end.Campaign.Message, StringComparison.Ordinal);
        Assert.Contains("2 cluster(s) not started (c2, c3)", end.Campaign.Message, StringComparison.Ordinal);
        Assert.Equal([RunState.Failed, RunState.Pending, RunState.Pending], end.Clusters.Select(c => c.State));
        Assert.Empty(fleet.Agent("c2").Commands);
        Assert.Contains("campaign.stop_the_line", fleet.AuditOf(started.CampaignId));
    }

    [Fact]
    public async Task Apply_FailureBudgetReached_StartsNoNewClusterAndEndsFailed()
    {
        await using var fleet = await CampaignFleet.StartAsync(5, cluster => cluster is "c1" or "c2" ? StepBehavior.Fail("broken") : StepBehavior.Ok());

        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 0, parallel: 1, budget: 2));
        var end = await fleet.WaitForEndAsync(started.CampaignId);

        Assert.Equal(RunState.Failed, end.Campaign.State);
        Assert.StartsWith("Stopped the line: 2 cluster(s) failed (c1, c2), failure budget 2", end.Campaign.Message, StringComparison.Ordinal);
        Assert.Equal([RunState.Failed, RunState.Failed, RunState.Pending, RunState.Pending, RunState.Pending], end.Clusters.Select(c => c.State));
        Assert.All(new[] { "c3", "c4", "c5" }, c => Assert.Empty(fleet.Agent(c).Commands));
        Assert.Single(fleet.AuditOf(started.CampaignId), w => w == "campaign.stop_the_line");
    }

    [Fact]
    public async Task Apply_FailuresWithinBudget_EveryClusterRunsAndTheCampaignSucceedsWithFailures()
    {
        await using var fleet = await CampaignFleet.StartAsync(4, cluster => cluster == "c2" ? StepBehavior.Fail("broken") : StepBehavior.Ok());

        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 1, parallel: 3, budget: 2));
        var end = await fleet.WaitForEndAsync(started.CampaignId);

        Assert.Equal(RunState.SucceededWithFailures, end.Campaign.State);
        Assert.Equal([RunState.Succeeded, RunState.Failed, RunState.Succeeded, RunState.Succeeded], end.Clusters.Select(c => c.State));
        Assert.DoesNotContain("campaign.stop_the_line", fleet.AuditOf(started.CampaignId));
    }

    [Fact]
    public async Task Pause_RunningClusterFinishesNoNewOneStarts_ThenResumeRunsTheRest()
    {
        await using var fleet = await CampaignFleet.StartAsync(3, _ => StepBehavior.Ok(400));
        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 0, parallel: 1));
        await fleet.WaitForAsync(started.CampaignId, s => s.Clusters[0].State == RunState.Running);

        var paused = await fleet.Campaigns.ControlAsync(started.CampaignId, CampaignCommand.Pause, "bob", "look first");
        Assert.Equal(RunState.Paused, paused.Campaign.State);
        await fleet.WaitForAsync(started.CampaignId, s => s.Clusters[0].IsFinished);
        await Task.Delay(300);
        Assert.Equal([RunState.Succeeded, RunState.Pending, RunState.Pending], fleet.Campaigns.Get(started.CampaignId).Clusters.Select(c => c.State));
        Assert.Empty(fleet.Agent("c2").Commands);

        await fleet.Campaigns.ControlAsync(started.CampaignId, CampaignCommand.Resume, "bob", "");
        var end = await fleet.WaitForEndAsync(started.CampaignId);

        Assert.Equal(RunState.Succeeded, end.Campaign.State);
        var audit = fleet.Fleet.Store.QueryAudit(started.CampaignId, 100);
        Assert.Contains(audit, e => (e.What, e.Who, e.Detail) == ("campaign.pause", "bob", "look first"));
        Assert.Contains(audit, e => (e.What, e.Who) == ("campaign.resume", "bob"));
    }

    [Fact]
    public async Task Abort_AbortsTheRunningClusterRunAndStartsNoOther()
    {
        await using var fleet = await CampaignFleet.StartAsync(3, cluster => cluster == "c1" ? StepBehavior.Hangs() : StepBehavior.Ok());
        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 1, parallel: 2));
        await fleet.WaitForAsync(started.CampaignId, s => s.Clusters[0].RunId.Length > 0);
        var runId = fleet.Cluster(started.CampaignId, "c1").RunId;
        await fleet.Fleet.WaitForAsync(runId, s => s.Steps.Any(x => x.State == StepState.Running));

        var aborted = await fleet.Campaigns.ControlAsync(started.CampaignId, CampaignCommand.Abort, "carol", "wrong window");

        Assert.Equal(RunState.Aborted, aborted.Campaign.State);
        Assert.Contains("Aborted by carol: wrong window; 1 running cluster run(s) aborted, 2 cluster(s) not started", aborted.Campaign.Message, StringComparison.Ordinal);
        Assert.Equal(RunState.Aborted, fleet.Fleet.Executor.Get(runId).Run.State);
        Assert.Equal([RunState.Aborted, RunState.Pending, RunState.Pending], aborted.Clusters.Select(c => c.State));
        Assert.NotEmpty(fleet.Agent("c1").Cancels);
        Assert.Empty(fleet.Agent("c2").Commands);
        Assert.Contains(fleet.Fleet.Store.QueryAudit(started.CampaignId, 100), e => (e.What, e.Who) == ("campaign.abort", "carol"));
        await Assert.ThrowsAsync<RollbackMesh.Coordinator.Execution.RunStateException>(() => fleet.Campaigns.ControlAsync(started.CampaignId, CampaignCommand.Resume, "carol", ""));
    }

    [Fact]
    public async Task Abort_WhileAClusterIsStillBeingReviewed_AnsweredAtOnceAndThatClusterNeverRuns()
    {
        await using var fleet = await CampaignFleet.StartAsync(2);
        fleet.Agent("c1").DryRunHangs = true;   // the canary's review waits for the dry-run timeout (30 s)
        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 1, parallel: 1));
        await fleet.WaitForAsync(started.CampaignId, s => s.Campaign.CurrentWave == 0);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var paused = await fleet.Campaigns.ControlAsync(started.CampaignId, CampaignCommand.Pause, "erin", "");
        var aborted = await fleet.Campaigns.ControlAsync(started.CampaignId, CampaignCommand.Abort, "erin", "too slow");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the commands took {clock.Elapsed}");
        Assert.Equal(RunState.Paused, paused.Campaign.State);
        Assert.Equal(RunState.Aborted, aborted.Campaign.State);
        Assert.Contains("1 being started (aborted as they start: c1), 1 cluster(s) not started", aborted.Campaign.Message, StringComparison.Ordinal);
        Assert.Empty(fleet.Fleet.Store.ListRuns());
        Assert.Empty(fleet.Agent("c1").Commands);
    }

    [Fact]
    public async Task ApproveAfterCanary_WaitsAfterTheCanaryUntilApproved()
    {
        await using var fleet = await CampaignFleet.StartAsync(3);
        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 1, parallel: 2), approveAfterCanary: true);

        var waiting = await fleet.WaitForAsync(started.CampaignId, s => s.Campaign.State == RunState.AwaitingApproval);
        Assert.Equal([RunState.Succeeded, RunState.Pending, RunState.Pending], waiting.Clusters.Select(c => c.State));
        Assert.Contains($"rollbackmesh campaign approve {started.CampaignId}", waiting.Campaign.Message, StringComparison.Ordinal);
        await Task.Delay(200);
        Assert.Empty(fleet.Agent("c2").Commands);

        await fleet.Campaigns.ControlAsync(started.CampaignId, CampaignCommand.Approve, "dave", "canary looks fine");
        var end = await fleet.WaitForEndAsync(started.CampaignId);

        Assert.Equal(RunState.Succeeded, end.Campaign.State);
        Assert.Contains(fleet.Fleet.Store.QueryAudit(started.CampaignId, 100), e => (e.What, e.Who) == ("campaign.approve", "dave"));
    }

    [Fact]
    public async Task Restart_MidCampaign_ContinuesFromTheStoreAndRunsEveryStepOnce()
    {
        await using var fleet = await CampaignFleet.StartAsync(4, _ => StepBehavior.Ok(200));
        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 1, parallel: 2));
        await fleet.WaitForAsync(started.CampaignId, s => s.Clusters[1].State == RunState.Running);

        await fleet.RestartAsync();
        var end = await fleet.WaitForEndAsync(started.CampaignId);

        Assert.Equal(RunState.Succeeded, end.Campaign.State);
        Assert.All(end.Clusters, c => Assert.Equal(RunState.Succeeded, c.State));
        Assert.All(fleet.Fleet.Agents.Values, a =>
        {
            Assert.NotEmpty(a.Executions);
            Assert.All(a.Executions, e => Assert.True(e.Value == 1, $"{a.Name} ran {e.Key} {e.Value} times"));
        });
        Assert.Equal(4, fleet.Fleet.Store.ListRuns().Count(r => r.CampaignId == started.CampaignId));
    }

    [Fact]
    public async Task Restart_RunRecordedButNotYetNotedByTheCampaign_AdoptedNotStartedAgain()
    {
        await using var fleet = await CampaignFleet.StartAsync(2);
        var started = await fleet.ApplyAsync(CampaignFleet.Options(canary: 1, parallel: 1), approveAfterCanary: true);
        await fleet.WaitForAsync(started.CampaignId, s => s.Campaign.State == RunState.AwaitingApproval);
        // As a crash right after a cluster's run was recorded would leave it: the wave is recorded, the run exists with
        // the campaign's id, and the campaign's row for the cluster still says pending.
        var stored = fleet.Fleet.Store.LoadCampaign(started.CampaignId)!.Value;
        await fleet.Campaigns.DisposeAsync();
        await fleet.Fleet.Store.SaveCampaignAsync(stored.Campaign with { State = RunState.Running, Approved = true, CurrentWave = 1 }, []);
        var run = await fleet.Fleet.Executor.StartAsync(fleet.Fleet.Store.LoadCampaignPlan(started.CampaignId, "c2"), "alice", started.CampaignId);
        await fleet.Fleet.Executor.WaitAsync(run.Run.RunId);

        await fleet.RestartAsync();
        var end = await fleet.WaitForEndAsync(started.CampaignId);

        Assert.Equal(RunState.Succeeded, end.Campaign.State);
        Assert.Equal(run.Run.RunId, end.Clusters[1].RunId);
        Assert.Single(fleet.Fleet.Store.ListRuns(), r => r.Cluster == "c2");
        Assert.All(fleet.Agent("c2").Executions.Values, n => Assert.Equal(1, n));
    }
}
