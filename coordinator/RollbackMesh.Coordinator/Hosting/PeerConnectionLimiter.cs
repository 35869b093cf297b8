using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>
/// Caps the open connections from one IP address. It runs as connection middleware ahead of TLS, so a flood from one
/// address costs a socket accept per refused connection, not a handshake.
/// </summary>
internal sealed partial class PeerConnectionLimiter(int maxPerPeer)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();
    // Peers refused since they last closed a connection: a flood is logged once, not once per connection.
    private readonly ConcurrentDictionary<IPAddress, byte> _refusing = new();
    private ILogger _logger = NullLogger.Instance;
    private int _total;
    private int _peak;

    /// <summary>Connections open now, from every address.</summary>
    public int Open => Volatile.Read(ref _total);

    /// <summary>How many fewer connections are open now than at the most since the last call (a flood that ended).</summary>
    public int TakeDropSincePeak()
    {
        var open = Open;
        return Math.Max(0, Interlocked.Exchange(ref _peak, open) - open);
    }

    /// <summary>Connections open from <paramref name="peer"/> now.</summary>
    public int OpenFrom(IPAddress peer) => _open.TryGetValue(Normalize(peer), out var count) ? count : 0;

    /// <summary>Adds the limit to <paramref name="listen"/>; call before TLS is configured so it runs first.</summary>
    public void Attach(ListenOptions listen)
    {
        listen.Use(next =>
        {
            _logger = (ILogger?)listen.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger<PeerConnectionLimiter>() ?? NullLogger.Instance;
            return async connection =>
            {
                if (connection.RemoteEndPoint is not IPEndPoint { Address: var address })
                {
                    await next(connection).ConfigureAwait(false);
                    return;
                }

                var peer = Normalize(address);
                if (!TryAcquire(peer))
                {
                    connection.Abort(new ConnectionAbortedException($"{peer} already has {maxPerPeer} connections open"));
                    return;
                }

                try
                {
                    await next(connection).ConfigureAwait(false);
                }
                finally
                {
                    Release(peer);
                }
            };
        });
    }

    private bool TryAcquire(IPAddress peer)
    {
        while (true)
        {
            var count = _open.GetOrAdd(peer, 0);
            if (count >= maxPerPeer)
            {
                if (_refusing.TryAdd(peer, 0))
                {
                    Log.PeerLimitReached(_logger, peer.ToString(), maxPerPeer);
                }

                return false;
            }

            if (_open.TryUpdate(peer, count + 1, count))
            {
                var total = Interlocked.Increment(ref _total);
                for (var peak = Volatile.Read(ref _peak); total > peak; peak = Volatile.Read(ref _peak))
                {
                    if (Interlocked.CompareExchange(ref _peak, total, peak) == peak)
                    {
                        break;
                    }
                }

                return true;
            }
        }
    }

    private void Release(IPAddress peer)
    {
        _refusing.TryRemove(peer, out _);
        Interlocked.Decrement(ref _total);
        while (true)
        {
            var count = _open[peer];
            if (count == 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(peer, 1)) : _open.TryUpdate(peer, count - 1, count))
            {
                return;
            }
        }
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static partial class Log
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Connections from {Peer} refused: it already has {Limit} open (MaxConnectionsPerPeer); logged again after one closes")]
        public static partial void PeerLimitReached(ILogger logger, string peer, int limit);
    }
}
