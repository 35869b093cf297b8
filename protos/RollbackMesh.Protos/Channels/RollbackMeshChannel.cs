using System.Net;
using System.Net.Security;
using Grpc.Net.Client;

namespace RollbackMesh.Protos.Channels;

/// <summary>
/// The one way the agent and the CLI open a grpc-dotnet channel: <c>http://</c> is h2c with prior knowledge (the callers
/// allow it only behind their insecure switch), <c>https://</c> is TLS with ALPN h2. The channel runs over its own
/// <see cref="SocketsHttpHandler"/>, which it disposes.
/// </summary>
public static class RollbackMeshChannel
{
    /// <summary>Creates a channel to <paramref name="address"/> configured by <paramref name="settings"/>.</summary>
    /// <exception cref="ArgumentException">The address is not an absolute http or https URI, or a limit is not positive.</exception>
    public static GrpcChannel Create(Uri address, ChannelSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{address}' is not an absolute http:// or https:// address.", nameof(address));
        }

        settings ??= new ChannelSettings();
        if (settings.MaxReceiveMessageSize <= 0 || settings.MaxSendMessageSize <= 0)
        {
            throw new ArgumentException("Message size limits must be positive.", nameof(settings));
        }

        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(settings),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = settings.MaxReceiveMessageSize,
            MaxSendMessageSize = settings.MaxSendMessageSize,
        });
    }

    private static SocketsHttpHandler CreateHandler(ChannelSettings settings) => new()
    {
        // Calls share one connection; another is opened only past the server's concurrent-stream limit.
        EnableMultipleHttp2Connections = true,
        // The agent's stream lives for days: neither an idle pool timeout nor a connection lifetime may end it.
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        KeepAlivePingDelay = settings.KeepAlivePingDelay,
        KeepAlivePingTimeout = settings.KeepAlivePingTimeout,
        // Ping while a stream is open even if nothing moves on it: that is when a dead peer or NAT mapping must be noticed.
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseCookies = false,
        // An http_proxy in a node's environment must not capture the coordinator connection.
        UseProxy = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            ClientCertificates = settings.ClientCertificate is { } client ? [client] : null,
            RemoteCertificateValidationCallback = settings.ServerCertificateValidation
                ?? (settings.PinnedCa is { } ca ? PinnedCa.TrustOnly(ca) : null),
        },
    };
}
