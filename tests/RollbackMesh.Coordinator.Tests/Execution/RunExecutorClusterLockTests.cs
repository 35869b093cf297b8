using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Execution;

/// <summary>One unfinished run per cluster, judged from the store; different clusters run side by side.</summary>
public sealed class RunExecutorClusterLockTests
{
    /// <summary>A plan on <paramref name="cluster"/> that waits for approval of its one step, so its run stays unfinished.</summary>
    private static Plan Held(string cluster, string node) =>
        TestPlans.Create(TestPlans.Phase("all", [node], ["hold"], requiresApproval: _ => true)) with { Cluster = cluster };

    private static Plan Quick(string cluster, string node) =>
        TestPlans.Create(TestPlans.Phase("all", [node], ["noop"])) with { Cluster = cluster };

    private static Task<SimulatedFleet> FleetAsync() =>
        SimulatedFleet.StartAsync([new SimulatedAgent("a1", "first-server"), new SimulatedAgent("b1", "first-server")]);

    [Fact]
    public async Task Start_SecondRunOnABusyCluster_RefusedNamingTheActiveRunAndNothingRecorded()
    {
        await using var fleet = await FleetAsync();
        var first = await fleet.Executor.StartAsync(Held("alpha", "a1"), "alice");
        await fleet.WaitForAsync(first.Run.RunId, s => s.Run.State == RunState.AwaitingApproval);

        var refusal = await Assert.ThrowsAsync<RunStateException>(() => fleet.Executor.StartAsync(Quick("alpha", "a1"), "bob"));

        Assert.Contains($"Cluster 'alpha' already has run {first.Run.RunId}", refusal.Message, StringComparison.Ordinal);
        Assert.Equal([first.Run.RunId], fleet.Store.ListRuns().Select(r => r.RunId));
        Assert.Empty(fleet["a1"].Commands);
    }

    [Fact]
    public async Task Start_RunsOnTwoClusters_GoSideBySide()
    {
        await using var fleet = await FleetAsync();
        var alpha = await fleet.Executor.StartAsync(Held("alpha", "a1"), "alice");
        var beta = await fleet.Executor.StartAsync(Held("beta", "b1"), "bob");

        await fleet.WaitForAsync(alpha.Run.RunId, s => s.Run.State == RunState.AwaitingApproval);
        await fleet.WaitForAsync(beta.Run.RunId, s => s.Run.State == RunState.AwaitingApproval);
        Assert.Equal("alpha", fleet.Executor.Get(alpha.Run.RunId).Run.Cluster);
        Assert.Equal("beta", fleet.Executor.Get(beta.Run.RunId).Run.Cluster);
    }

    [Fact]
    public async Task Start_ConcurrentStartsOnOneCluster_ExactlyOneRecorded()
    {
        await using var fleet = await FleetAsync();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                return await fleet.Executor.StartAsync(Held("alpha", "a1"), "alice");
            }
            catch (RunStateException)
            {
                return null;
            }
        }));

        Assert.Single(attempts, a => a is not null);
        Assert.Single(fleet.Store.ListRuns());
    }

    [Fact]
    public async Task Start_AfterTheClusterRunEnded_Allowed()
    {
        await using var fleet = await FleetAsync();
        var first = await fleet.RunToEndAsync(Quick("alpha", "a1"));
        Assert.Equal(RunState.Succeeded, first.Run.State);

        var second = await fleet.RunToEndAsync(Quick("alpha", "a1"));

        Assert.Equal(RunState.Succeeded, second.Run.State);
    }

    [Fact]
    public async Task Start_AfterACoordinatorRestartWithTheClusterRunUnfinished_StillRefusedFromTheStore()
    {
        await using var fleet = await FleetAsync();
        var first = await fleet.Executor.StartAsync(Held("alpha", "a1"), "alice");
        await fleet.WaitForAsync(first.Run.RunId, s => s.Run.State == RunState.AwaitingApproval);

        // A new executor over the same file, before it has resumed anything: the store alone holds the lock.
        await fleet.RestartCoordinatorAsync();
        var refusal = await Assert.ThrowsAsync<RunStateException>(() => fleet.Executor.StartAsync(Quick("alpha", "a1"), "bob"));
        Assert.Contains(first.Run.RunId, refusal.Message, StringComparison.Ordinal);
        var beta = await fleet.RunToEndAsync(Quick("beta", "b1"));
        Assert.Equal(RunState.Succeeded, beta.Run.State);

        fleet.Executor.ResumeUnfinished();
        await fleet.Executor.AbortAsync(first.Run.RunId, "alice", "done testing");
        await fleet.Executor.WaitAsync(first.Run.RunId).WaitAsync(TimeSpan.FromSeconds(10));
        var after = await fleet.RunToEndAsync(Quick("alpha", "a1"));
        Assert.Equal(RunState.Succeeded, after.Run.State);
    }

    [Fact]
    public async Task Retry_WhileAnotherRunHoldsTheCluster_RefusedNamingIt()
    {
        var agent = new SimulatedAgent("a1", "first-server") { Behavior = command => command.StepId.EndsWith("/fails", StringComparison.Ordinal) ? StepBehavior.Fail("broken") : StepBehavior.Ok() };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var failing = TestPlans.Create(TestPlans.Phase("all", ["a1"], ["fails"])) with { Cluster = "alpha" };
        var failed = await fleet.RunToEndAsync(failing with { Hash = PlanHasher.Compute(failing) });
        Assert.Equal(RunState.Failed, failed.Run.State);
        var holder = await fleet.Executor.StartAsync(Held("alpha", "a1"), "bob");

        var refusal = await Assert.ThrowsAsync<RunStateException>(() => fleet.Executor.RetryAsync(failed.Run.RunId, "alice", RetryAcceptance.None));

        Assert.True(refusal.Message.Contains($"Run {failed.Run.RunId} was not retried: Cluster 'alpha' already has run {holder.Run.RunId}", StringComparison.Ordinal), refusal.Message);
    }

    [Fact]
    public async Task Start_PlanWithCluster_StoredRunCarriesItAcrossARestart()
    {
        await using var fleet = await FleetAsync();
        var run = await fleet.RunToEndAsync(Quick("beta", "b1"));

        await fleet.RestartCoordinatorAsync();

        Assert.Equal("beta", fleet.Executor.Get(run.Run.RunId).Run.Cluster);
        Assert.Equal([run.Run.RunId], fleet.Executor.List("beta", null).Select(r => r.RunId));
        Assert.Empty(fleet.Executor.List("alpha", null));
    }
}
