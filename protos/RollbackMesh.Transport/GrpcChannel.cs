using System.Net;
using System.Net.Security;
using Google.Protobuf;
using RollbackMesh.Transport.Internal;

namespace RollbackMesh.Transport;

/// <summary>
/// A client connection to one gRPC server: <c>http://</c> speaks h2c with prior knowledge, <c>https://</c> TLS with
/// ALPN h2. Calls share HTTP/2 connections; one channel is meant to live as long as the peer is used.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly bool _disposeHandler;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        MaxSendMessageSize = options.MaxSendMessageSize;
        TimeProvider = options.TimeProvider;
        _disposeHandler = options.HttpHandler is null;
        Invoker = new HttpMessageInvoker(options.HttpHandler ?? CreateHandler(options), disposeHandler: _disposeHandler);
    }

    /// <summary>The server address.</summary>
    public Uri Address { get; }

    internal int MaxReceiveMessageSize { get; }

    internal int MaxSendMessageSize { get; }

    internal TimeProvider TimeProvider { get; }

    internal HttpMessageInvoker Invoker { get; }

    /// <summary>Creates a channel to <paramref name="address"/> (scheme http or https).</summary>
    /// <exception cref="ArgumentException">The address is not an absolute http or https URI.</exception>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{address}' is not an absolute http:// or https:// address.", nameof(address));
        }

        options ??= new GrpcChannelOptions();
        if (options.MaxReceiveMessageSize <= 0 || options.MaxSendMessageSize <= 0)
        {
            throw new ArgumentException("Message size limits must be positive.", nameof(options));
        }

        return new GrpcChannel(address, options);
    }

    /// <summary>Makes a unary call.</summary>
    /// <exception cref="RpcException">The call ended with a non-OK status.</exception>
    public Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        call.Start(request);
        return ReadUnaryAsync(call);
    }

    /// <summary>Starts a server-streaming call.</summary>
    public AsyncServerStreamingCall<TResponse> ServerStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        call.Start(request);
        return new AsyncServerStreamingCall<TResponse>(call, new ClientResponseStreamReader<TRequest, TResponse>(call));
    }

    /// <summary>Starts a client-streaming call.</summary>
    public AsyncClientStreamingCall<TRequest, TResponse> ClientStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        call.Start(null);
        return new AsyncClientStreamingCall<TRequest, TResponse>(call, CreateWriter(call), call.ReadSingleResponseAsync);
    }

    /// <summary>Starts a bidirectional-streaming call.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        call.Start(null);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            call, CreateWriter(call), new ClientResponseStreamReader<TRequest, TResponse>(call));
    }

    /// <summary>Closes the channel's connections (when it owns its handler).</summary>
    public void Dispose() => Invoker.Dispose();

    private static async Task<TResponse> ReadUnaryAsync<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        using (call)
        {
            return await call.ReadSingleResponseAsync().ConfigureAwait(false);
        }
    }

    private static IClientStreamWriter<TRequest> CreateWriter<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        call.RequestContent is { } content
            ? new ClientRequestStreamWriter<TRequest, TResponse>(call, content)
            : new FinishedCallWriter<TRequest>(call);

    private static SocketsHttpHandler CreateHandler(GrpcChannelOptions options) => new()
    {
        // One TCP connection carries many streams; more are opened only past the server's stream limit.
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        KeepAlivePingDelay = options.KeepAlivePingDelay,
        KeepAlivePingTimeout = options.KeepAlivePingTimeout,
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseCookies = false,
        // An http_proxy in the environment must not capture h2c prior-knowledge traffic.
        UseProxy = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            ClientCertificates = options.ClientCertificates,
            RemoteCertificateValidationCallback = options.ServerCertificateValidation,
        },
    };
}
