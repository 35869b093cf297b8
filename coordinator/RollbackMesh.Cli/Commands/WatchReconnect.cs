using Grpc.Core;

namespace RollbackMesh.Cli.Commands;

/// <summary>
/// The reconnect policy of a watch (a run's or a campaign's): only a stream that was open is retried (a coordinator
/// never reached is "unreachable" at once), with a backoff from 250 ms doubling to 5 s, for up to
/// <see cref="RunWatcher.ReconnectFor"/>; what it does is told through <c>notice</c>.
/// </summary>
internal sealed class WatchReconnect(string what, Action<string> notice)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);
    private DateTimeOffset? _lostAt;
    private TimeSpan _retry = FirstRetry;

    /// <summary>True for a lost stream this policy retries (the watch had received something and was not cancelled).</summary>
    public static bool Retries(RpcException ex, bool wasOpen, CancellationToken ct) =>
        wasOpen && CommandRunner.CodeOf(ex) == StatusCode.Unavailable && !ct.IsCancellationRequested;

    /// <summary>A message arrived: if the stream had been lost, say it is back and start the backoff over.</summary>
    public void Received()
    {
        if (_lostAt is not null)
        {
            notice($"reconnected to the coordinator; following {what} again");
            (_lostAt, _retry) = (null, FirstRetry);
        }
    }

    /// <summary>The stream broke: waits the next backoff, or returns false once <see cref="RunWatcher.ReconnectFor"/> has passed.</summary>
    public async Task<bool> WaitToRetryAsync(RpcException ex, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        _lostAt ??= now;
        if (now - _lostAt >= RunWatcher.ReconnectFor)
        {
            return false;
        }

        notice($"coordinator unreachable ({ex.Status.Detail}); reconnecting in {_retry.TotalSeconds:0.0#} s (giving up after {RunWatcher.ReconnectFor.TotalMinutes:0} min)");
        await Task.Delay(_retry, ct).ConfigureAwait(false);
        _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, LongestRetry.Ticks));
        return true;
    }
}
