namespace RollbackMesh.Agent.Connection;

/// <summary>
/// Exponential backoff with full jitter: the n-th delay is uniformly random in [0, min(max, initial * 2^n)), so a
/// fleet of agents that lost the coordinator together does not reconnect in lock step. Only a healthy connection, one
/// that stayed open for <see cref="HealthyAfter"/>, starts over from the initial delay (<see cref="ConnectionEnded"/>):
/// a coordinator that accepts streams and drops them at once must not pull the fleet back to 1 s retries.
/// </summary>
internal sealed class ReconnectBackoff
{
    /// <summary>The default first ceiling: 1 s.</summary>
    public static readonly TimeSpan DefaultInitial = TimeSpan.FromSeconds(1);

    /// <summary>The default largest ceiling: 30 s.</summary>
    public static readonly TimeSpan DefaultMaximum = TimeSpan.FromSeconds(30);

    /// <summary>How long a connection must have stayed open to count as healthy: the largest ceiling, 30 s.</summary>
    public TimeSpan HealthyAfter => _maximum;

    private readonly TimeSpan _initial;
    private readonly TimeSpan _maximum;
    private readonly Random _random;
    private int _attempt;

    /// <summary>Creates the policy; <paramref name="random"/> is injectable so tests can fix the jitter.</summary>
    public ReconnectBackoff(TimeSpan initial, TimeSpan maximum, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, initial);
        _initial = initial;
        _maximum = maximum;
        _random = random;
    }

    /// <summary>Creates the policy with the defaults (1 s, 30 s) and a shared random source.</summary>
    public ReconnectBackoff()
        : this(DefaultInitial, DefaultMaximum, Random.Shared)
    {
    }

    /// <summary>The ceiling of the next delay (before jitter).</summary>
    public TimeSpan CurrentCeiling
    {
        get
        {
            // Capped exponent: 2^30 seconds overflows nothing, and anything past the maximum is clamped anyway.
            var factor = Math.Pow(2, Math.Min(_attempt, 30));
            var ticks = Math.Min(_maximum.Ticks, _initial.Ticks * factor);
            return TimeSpan.FromTicks((long)ticks);
        }
    }

    /// <summary>The delay before the next attempt; each call doubles the ceiling up to the maximum.</summary>
    public TimeSpan NextDelay()
    {
        var ceiling = CurrentCeiling;
        _attempt++;
        return TimeSpan.FromTicks((long)(_random.NextDouble() * ceiling.Ticks));
    }

    /// <summary>Starts over from the initial delay.</summary>
    public void Reset() => _attempt = 0;

    /// <summary>A connection that was open for <paramref name="lasted"/> ended: a healthy one resets the backoff.</summary>
    public void ConnectionEnded(TimeSpan lasted)
    {
        if (lasted >= HealthyAfter)
        {
            Reset();
        }
    }
}
