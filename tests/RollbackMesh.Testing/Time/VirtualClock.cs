using Microsoft.Extensions.Time.Testing;

namespace RollbackMesh.Testing.Time;

/// <summary>Where virtual clocks start. FakeTimeProvider's own default is the year 2000, which makes certificates and
/// RFC 3339 output in assertions look wrong; tests start in 2026 unless they need the real date.</summary>
public static class VirtualClock
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A clock stopped at <paramref name="start"/> (default <see cref="Start"/>) that only the test moves.</summary>
    public static FakeTimeProvider At(DateTimeOffset? start = null) => new(start ?? Start);

    /// <summary>A clock stopped at the real time now plus <paramref name="shift"/>: for code that talks to real peers
    /// (TLS, certificates) but whose idea of "now" the test moves.</summary>
    public static FakeTimeProvider Now(TimeSpan shift = default) => new(DateTimeOffset.UtcNow + shift);
}
