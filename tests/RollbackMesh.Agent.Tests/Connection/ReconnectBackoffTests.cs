using RollbackMesh.Agent.Connection;

namespace RollbackMesh.Agent.Tests.Connection;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void NextDelay_RepeatedFailures_CeilingDoublesFromOneSecondUpToThirty()
    {
        var backoff = new ReconnectBackoff(ReconnectBackoff.DefaultInitial, ReconnectBackoff.DefaultMaximum, new FixedRandom(0.999999));

        var seconds = Enumerable.Range(0, 8).Select(_ => Math.Round(backoff.NextDelay().TotalSeconds)).ToArray();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], seconds);
    }

    [Fact]
    public void NextDelay_FullJitter_IsTheRandomFractionOfTheCeiling()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new FixedRandom(0.25));

        Assert.Equal(TimeSpan.FromMilliseconds(250), backoff.NextDelay());
        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.NextDelay());
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay());
    }

    [Fact]
    public void NextDelay_ZeroRandom_CanBeImmediate()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new FixedRandom(0));

        Assert.Equal(TimeSpan.Zero, backoff.NextDelay());
    }

    [Fact]
    public void Reset_AfterSeveralFailures_StartsAgainFromTheInitialCeiling()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new FixedRandom(0.5));
        for (var i = 0; i < 6; i++)
        {
            backoff.NextDelay();
        }

        backoff.Reset();

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.CurrentCeiling);
        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.NextDelay());
    }

    [Fact]
    public void Constructor_MaximumBelowInitial_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), new FixedRandom(0)));
    }
}
