using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace RollbackMesh.Transport.Internal;

/// <summary>
/// The server side of one call on Kestrel. Every write to the response (headers, messages, status) takes
/// <see cref="_writeLock"/>, so concurrent writers never interleave frames and the deadline cannot race a write.
/// </summary>
internal sealed class HttpServerCallContext : ServerCallContext, IDisposable
{
    private readonly HttpContext _httpContext;
    private readonly GrpcServerOptions _options;
    private readonly CancellationTokenSource _cts;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Metadata? _requestHeaders;
    private ITimer? _deadlineTimer;
    private DateTime _deadline = DateTime.MaxValue;
    private bool _headersSent;
    private bool _completed;
    private int _deadlineExceeded;

    public HttpServerCallContext(HttpContext httpContext, string method, GrpcServerOptions options)
    {
        _httpContext = httpContext;
        _options = options;
        Method = method;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
    }

    public override string Method { get; }

    public override string Peer => FormatPeer(_httpContext.Connection.RemoteIpAddress, _httpContext.Connection.RemotePort);

    public override DateTime Deadline => _deadline;

    public override CancellationToken CancellationToken => _cts.Token;

    public override Metadata RequestHeaders => _requestHeaders ??= ReadRequestHeaders(_httpContext.Request.Headers);

    public override Metadata ResponseTrailers { get; } = new();

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override X509Certificate2? ClientCertificate => _httpContext.Connection.ClientCertificate;

    public override HttpContext HttpContext => _httpContext;

    public bool IsDeadlineExceeded => Volatile.Read(ref _deadlineExceeded) == 1;

    public GrpcServerOptions Options => _options;

    /// <summary>Arms the deadline: when it passes the token fires and DEADLINE_EXCEEDED is sent at once.</summary>
    public void StartDeadline(TimeSpan timeout, TimeProvider timeProvider)
    {
        // Timers take at most ~49 days; a longer timeout is as good as none.
        if (timeout > TimeSpan.FromDays(30))
        {
            return;
        }

        _deadline = timeProvider.GetUtcNow().UtcDateTime + timeout;
        _deadlineTimer = timeProvider.CreateTimer(_ => _ = OnDeadlineAsync(), null, timeout, Timeout.InfiniteTimeSpan);
    }

    public override async Task WriteResponseHeadersAsync(Metadata headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        await _writeLock.WaitAsync(_cts.Token).ConfigureAwait(false);
        try
        {
            ThrowIfCompleted();
            if (_headersSent)
            {
                throw new InvalidOperationException("Response headers have already been sent.");
            }

            MetadataCodec.WriteHeaders(headers, (k, v) => _httpContext.Response.Headers.Append(k, v));
            StartResponse();
            await _httpContext.Response.StartAsync(_cts.Token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes and flushes one response message.</summary>
    public async Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cts.Token)
            : null;
        var token = linked?.Token ?? _cts.Token;
        await _writeLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            ThrowIfCompleted();
            token.ThrowIfCancellationRequested();
            if (!_headersSent)
            {
                StartResponse();
            }

            var writer = _httpContext.Response.BodyWriter;
            MessageFraming.WriteMessage(writer, message, _options.MaxSendMessageSize);
            await writer.FlushAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends the final status and trailers unless the call was already completed (e.g. by the deadline).</summary>
    public async Task CompleteAsync(Status status, bool flush)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (_httpContext.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            WriteStatus(status);
            if (flush)
            {
                await _httpContext.Response.CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _deadlineTimer?.Dispose();
        _cts.Dispose();
        _writeLock.Dispose();
    }

    private async Task OnDeadlineAsync()
    {
        Interlocked.Exchange(ref _deadlineExceeded, 1);
        try
        {
            // Cancel first: a write blocked on flow control holds the lock and gives it up when its token fires.
            await _cts.CancelAsync().ConfigureAwait(false);
            await CompleteAsync(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), flush: true).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The call finished concurrently; nothing left to tell the client.
        }
    }

    private void StartResponse()
    {
        _headersSent = true;
        _httpContext.Response.StatusCode = StatusCodes.Status200OK;
        _httpContext.Response.ContentType = GrpcProtocol.ContentType;
    }

    private void WriteStatus(Status status)
    {
        var response = _httpContext.Response;
        var code = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
        var message = string.IsNullOrEmpty(status.Detail) ? null : GrpcProtocol.PercentEncode(status.Detail);
        if (!_headersSent && !response.HasStarted)
        {
            // Trailers-only: one HEADERS frame with END_STREAM carries the status.
            StartResponse();
            response.Headers[GrpcProtocol.StatusHeader] = code;
            if (message is not null)
            {
                response.Headers[GrpcProtocol.MessageHeader] = message;
            }

            MetadataCodec.WriteHeaders(ResponseTrailers, (k, v) => response.Headers.Append(k, v));
            return;
        }

        if (!response.SupportsTrailers())
        {
            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusHeader, code);
        if (message is not null)
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, message);
        }

        MetadataCodec.WriteHeaders(ResponseTrailers, (k, v) => response.AppendTrailer(k, v));
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            _cts.Token.ThrowIfCancellationRequested();
            throw new InvalidOperationException("The call has already completed; nothing more can be written.");
        }
    }

    private static Metadata ReadRequestHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers)
        {
            MetadataCodec.AddReceived(metadata, header.Key, header.Value!);
        }

        return metadata;
    }

    private static string FormatPeer(IPAddress? address, int port) => address switch
    {
        null => "unknown",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } when address.IsIPv4MappedToIPv6 =>
            $"ipv4:{address.MapToIPv4()}:{port}",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => $"ipv6:[{address}]:{port}",
        _ => $"ipv4:{address}:{port}",
    };
}
