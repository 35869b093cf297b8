using System.Collections.Concurrent;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// A token bucket per remote address for enrollment attempts: <see cref="SecurityOptions.EnrollmentBurst"/> attempts
/// at once, refilled at one per <see cref="SecurityOptions.EnrollmentRefillInterval"/>. Guessing token secrets is
/// hopeless anyway (256 bits); this keeps a misbehaving or hostile client from making the CA sign in a loop. The table
/// is bounded: full buckets are dropped when it grows past <see cref="MaxTrackedAddresses"/>.
/// </summary>
internal sealed class EnrollmentRateLimiter(SecurityOptions options, TimeProvider time)
{
    /// <summary>Most addresses tracked before full buckets are forgotten.</summary>
    public const int MaxTrackedAddresses = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes one token for <paramref name="address"/>; false when its bucket is empty.</summary>
    public bool TryAcquire(string address)
    {
        var now = time.GetTimestamp();
        if (_buckets.Count >= MaxTrackedAddresses)
        {
            Prune(now);
        }

        var bucket = _buckets.GetOrAdd(address, _ => new Bucket(options.EnrollmentBurst, now));
        lock (bucket)
        {
            Refill(bucket, now);
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private void Refill(Bucket bucket, long now)
    {
        var elapsed = time.GetElapsedTime(bucket.Updated, now);
        var added = elapsed / options.EnrollmentRefillInterval;
        bucket.Tokens = Math.Min(options.EnrollmentBurst, bucket.Tokens + added);
        bucket.Updated = now;
    }

    private void Prune(long now)
    {
        foreach (var (address, bucket) in _buckets)
        {
            lock (bucket)
            {
                Refill(bucket, now);
                if (bucket.Tokens >= options.EnrollmentBurst)
                {
                    _buckets.TryRemove(address, out _);
                }
            }
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens { get; set; } = tokens;

        public long Updated { get; set; } = updated;
    }
}
