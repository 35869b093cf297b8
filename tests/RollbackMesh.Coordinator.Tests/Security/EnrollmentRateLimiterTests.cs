using RollbackMesh.Coordinator.Security;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Security;

public sealed class EnrollmentRateLimiterTests
{
    [Fact]
    public void TryAcquire_BurstSpent_RefusedUntilRefilled()
    {
        var time = VirtualClock.Now();
        var limiter = new EnrollmentRateLimiter(new SecurityOptions { EnrollmentBurst = 3, EnrollmentRefillInterval = TimeSpan.FromSeconds(10) }, time);

        Assert.True(limiter.TryAcquire("10.0.0.1"));
        Assert.True(limiter.TryAcquire("10.0.0.1"));
        Assert.True(limiter.TryAcquire("10.0.0.1"));
        Assert.False(limiter.TryAcquire("10.0.0.1"));
        Assert.True(limiter.TryAcquire("10.0.0.2"));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire("10.0.0.1"));
        Assert.False(limiter.TryAcquire("10.0.0.1"));
    }
}
