using Microsoft.Extensions.Logging.Abstractions;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Health;
using RollbackMesh.Agent.Processes;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Health;

/// <summary>
/// Reports in virtual time: one at once, then one per interval, and one at once when a step changes state (the
/// coordinator's gate after a phase waits for a report newer than the phase's last step).
/// </summary>
public sealed class HealthReporterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_StepChangesState_ReportsAtOnceWithoutWaitingForThePoll()
    {
        var time = new TimerRecordingTimeProvider();
        var lastStep = new LastStepTracker();
        var reports = new ReportCounter();
        using var stop = new CancellationTokenSource();
        var reporter = Reporter(lastStep, time);
        var running = reporter.RunAsync(Interval, reports.SendAsync, stop.Token);
        await reports.WaitForAsync(1);
        await time.NextTimerAsync(); // waiting for the next unit poll or the interval

        lastStep.Record(new StepUpdate { RunId = "r1", StepId = "s1", State = StepState.Succeeded });

        await reports.WaitForAsync(2); // no virtual time passed
        Assert.Equal(VirtualClock.Start, time.GetUtcNow());
        Assert.Equal(StepState.Succeeded, reports.Last!.LastStep!.State);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task RunAsync_NothingChanges_NextReportOnlyAfterTheInterval()
    {
        var time = new TimerRecordingTimeProvider();
        var reports = new ReportCounter();
        using var stop = new CancellationTokenSource();
        var running = Reporter(new LastStepTracker(), time).RunAsync(Interval, reports.SendAsync, stop.Token);
        await reports.WaitForAsync(1);

        // Unit polls every 2 s find nothing to report; the interval's end brings the next report.
        for (var elapsed = TimeSpan.Zero; elapsed < Interval - HealthReporter.UnitPollInterval; elapsed += HealthReporter.UnitPollInterval)
        {
            await time.NextTimerAsync();
            time.Advance(HealthReporter.UnitPollInterval);
        }

        var beforeTheInterval = reports.Count;
        await time.NextTimerAsync();
        time.Advance(HealthReporter.UnitPollInterval);
        await reports.WaitForAsync(2);

        Assert.Equal(1, beforeTheInterval);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    private static HealthReporter Reporter(LastStepTracker lastStep, TimeProvider time)
    {
        var options = new AgentOptions { Roles = ["agent"], Cluster = "edge-1" };
        var collector = HealthCollector.Create(options, new NoUnits(), new ToolRunner(), lastStep, time);
        return new HealthReporter(collector, lastStep, time, NullLogger<HealthReporter>.Instance);
    }

    private sealed class ReportCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public HealthSnapshot? Last { get; private set; }

        public ValueTask SendAsync(HealthSnapshot snapshot, CancellationToken cancellationToken)
        {
            Last = snapshot;
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }

        public async Task WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"expected {count} reports, saw {Count}");
                await Task.Delay(5);
            }
        }
    }

    private sealed class NoUnits : IUnitStateReader
    {
        public Task<UnitStatus> ReadAsync(string unit, CancellationToken cancellationToken) => Task.FromResult(new UnitStatus(unit, "active", "running"));
    }
}
