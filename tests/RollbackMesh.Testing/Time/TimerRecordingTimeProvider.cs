using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace RollbackMesh.Testing.Time;

/// <summary>
/// Virtual time that also hands the test the due time of every timer created on it, in order, so a test can wait
/// until the code under test has started its wait before it moves the clock (moving it earlier would be lost).
/// </summary>
public sealed class TimerRecordingTimeProvider : FakeTimeProvider
{
    private readonly BlockingCollection<TimeSpan> _created = [];

    public TimerRecordingTimeProvider()
        : base(VirtualClock.Start)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Scheduled first, announced after: a test woken by the announcement may move the clock at once, and a timer
        // not yet scheduled would then be due only after the move and never fire.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Add(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created (waiting up to 10 s of real time for the code to create it).</summary>
    public Task<TimeSpan> NextTimerAsync() => Task.Run(() => _created.TryTake(out var due, TimeSpan.FromSeconds(10))
        ? due
        : throw new TimeoutException("the code under test scheduled no timer"));
}
