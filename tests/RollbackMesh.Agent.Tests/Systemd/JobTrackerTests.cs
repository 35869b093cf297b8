using RollbackMesh.Agent.Systemd;

namespace RollbackMesh.Agent.Tests.Systemd;

public sealed class JobTrackerTests
{
    [Fact]
    public async Task WaitAsync_SignalArrivedBeforeReply_StillResolves()
    {
        var tracker = new JobTracker();
        using var watch = tracker.BeginWatch();

        tracker.OnJobRemoved("/job/7", "done");

        Assert.Equal("done", await watch.WaitAsync("/job/7", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task WaitAsync_SignalAfterReply_ResolvesOnlyForMatchingPath()
    {
        var tracker = new JobTracker();
        using var watch = tracker.BeginWatch();
        var wait = watch.WaitAsync("/job/8", CancellationToken.None);

        tracker.OnJobRemoved("/job/9", "failed");
        Assert.False(wait.IsCompleted);
        tracker.OnJobRemoved("/job/8", "canceled");

        Assert.Equal("canceled", await wait.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task WaitAsync_TwoWatchesGivenSameMergedJob_BothResolve()
    {
        var tracker = new JobTracker();
        using var first = tracker.BeginWatch();
        using var second = tracker.BeginWatch();
        var firstWait = first.WaitAsync("/job/3", CancellationToken.None);
        var secondWait = second.WaitAsync("/job/3", CancellationToken.None);

        tracker.OnJobRemoved("/job/3", "done");

        Assert.Equal(["done", "done"], await Task.WhenAll(firstWait, secondWait).WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task WaitAsync_SignalBeforeWatchBegan_IsNotClaimed()
    {
        var tracker = new JobTracker();
        tracker.OnJobRemoved("/job/1", "done");
        using var watch = tracker.BeginWatch();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch.WaitAsync("/job/1", cts.Token));
    }

    [Fact]
    public async Task Close_PendingAndLaterWatches_FailWithTheReason()
    {
        var tracker = new JobTracker();
        using var pending = tracker.BeginWatch();
        var pendingWait = pending.WaitAsync("/job/4", CancellationToken.None);
        using var unresolved = tracker.BeginWatch();
        var reason = new IOException("bus gone");

        tracker.Close(reason);
        using var later = tracker.BeginWatch();

        Assert.Same(reason, await Assert.ThrowsAsync<IOException>(() => pendingWait.WaitAsync(TimeSpan.FromSeconds(5))));
        Assert.Same(reason, await Assert.ThrowsAsync<IOException>(() => unresolved.WaitAsync("/job/5", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5))));
        Assert.Same(reason, await Assert.ThrowsAsync<IOException>(() => later.WaitAsync("/job/6", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5))));
    }

    [Theory]
    [InlineData("done", nameof(JobResult.Done))]
    [InlineData("failed", nameof(JobResult.Failed))]
    [InlineData("timeout", nameof(JobResult.Timeout))]
    [InlineData("canceled", nameof(JobResult.Canceled))]
    [InlineData("dependency", nameof(JobResult.Dependency))]
    [InlineData("skipped", nameof(JobResult.Skipped))]
    [InlineData("invalid", nameof(JobResult.Unknown))]
    public void Parse_ResultString_MapsToEnum(string text, string expected)
    {
        Assert.Equal(Enum.Parse<JobResult>(expected), JobResults.Parse(text));
    }
}
