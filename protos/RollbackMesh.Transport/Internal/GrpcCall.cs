using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace RollbackMesh.Transport.Internal;

/// <summary>
/// One client call over HTTP/2. The final status is set exactly once (<see cref="Finish"/>), by whichever comes first:
/// the server's status, a transport failure, the deadline, or cancellation.
/// </summary>
internal sealed partial class GrpcCall<TRequest, TResponse> : IGrpcCallState
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private const string UserAgent = "rollbackmesh-grpc/0.1";
    private const int NotCancelled = 0;
    private const int CancelledByDeadline = 1;
    private const int CancelledByCaller = 2;

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _callCts = new();
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private CancellationTokenRegistration _callerRegistration;
    private ITimer? _deadlineTimer;
    private Task<bool> _responseStarted = Task.FromResult(false);
    private HttpResponseMessage? _response;
    private PipeReader? _reader;
    private Status? _status;
    private Metadata _trailers = new();
    private int _cancelReason = NotCancelled;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
    }

    public PushStreamContent? RequestContent { get; private set; }

    public int MaxSendMessageSize => _channel.MaxSendMessageSize;

    public Task<Metadata> ResponseHeadersAsync => _headers.Task;

    private bool IsFinished
    {
        get
        {
            lock (_lock)
            {
                return _status is not null;
            }
        }
    }

    /// <summary>Sends the request headers (and <paramref name="request"/>, when the request side is a single message).</summary>
    public void Start(TRequest? request)
    {
        TimeSpan? timeout = null;
        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var utc = deadline.Kind == DateTimeKind.Local ? deadline.ToUniversalTime() : deadline;
            var remaining = utc - _channel.TimeProvider.GetUtcNow().UtcDateTime;
            if (remaining <= TimeSpan.Zero)
            {
                Finish(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), new Metadata());
                return;
            }

            timeout = remaining;
        }

        if (_options.CancellationToken.IsCancellationRequested)
        {
            Finish(new Status(StatusCode.Cancelled, "Call cancelled before it started."), new Metadata());
            return;
        }

        HttpContent content;
        if (request is not null)
        {
            try
            {
                content = new ByteArrayContent(MessageFraming.Frame(request, _channel.MaxSendMessageSize));
            }
            catch (RpcException ex)
            {
                Finish(ex.Status, ex.Trailers);
                return;
            }
        }
        else
        {
            content = RequestContent = new PushStreamContent();
        }

        content.Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_channel.Address, _method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        message.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (timeout is { } t)
        {
            message.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcProtocol.FormatTimeout(t));
            if (t < TimeSpan.FromDays(30))
            {
                _deadlineTimer = _channel.TimeProvider.CreateTimer(
                    static s => ((GrpcCall<TRequest, TResponse>)s!).Cancel(CancelledByDeadline), this, t, Timeout.InfiniteTimeSpan);
            }
        }

        if (_options.Headers is { } headers)
        {
            MetadataCodec.WriteHeaders(headers, (k, v) => message.Headers.TryAddWithoutValidation(k, v));
        }

        if (_options.CancellationToken.CanBeCanceled)
        {
            _callerRegistration = _options.CancellationToken.UnsafeRegister(
                static s => ((GrpcCall<TRequest, TResponse>)s!).Cancel(CancelledByCaller), this);
        }

        _responseStarted = SendAsync(message);
    }

    /// <summary>Reads the next response message; null when the call has ended (the status is then set).</summary>
    public async Task<TResponse?> ReadNextAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((GrpcCall<TRequest, TResponse>)s!).Cancel(CancelledByCaller), this)
            : default;
        if (!await _responseStarted.ConfigureAwait(false) || _reader is null || IsFinished)
        {
            return null;
        }

        try
        {
            var message = await MessageFraming.ReadMessageAsync(
                _reader, _method.ResponseParser, _channel.MaxReceiveMessageSize, _callCts.Token).ConfigureAwait(false);
            if (message is not null)
            {
                return message;
            }

            var trailers = _response!.TrailingHeaders;
            Finish(ReadStatus(trailers), ReadMetadata(trailers));
            return null;
        }
        catch (Exception ex)
        {
            Finish(ToStatus(ex), new Metadata());
            AbortTransport();
            return null;
        }
    }

    /// <summary>Reads the single response of a unary or client-streaming call and waits for the status.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var message = await ReadNextAsync(CancellationToken.None).ConfigureAwait(false);
        ThrowIfFailed();
        if (message is null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "The server finished the call with OK but sent no response message."));
        }

        if (await ReadNextAsync(CancellationToken.None).ConfigureAwait(false) is not null)
        {
            Cancel(CancelledByCaller);
            throw new RpcException(new Status(StatusCode.Internal, "The server sent more than one response message for a single-response method."));
        }

        ThrowIfFailed();
        return message;
    }

    public Status GetStatus()
    {
        lock (_lock)
        {
            return _status ?? throw new InvalidOperationException("The call has not finished yet.");
        }
    }

    public Metadata GetTrailers()
    {
        lock (_lock)
        {
            return _status is null ? throw new InvalidOperationException("The call has not finished yet.") : _trailers;
        }
    }

    /// <summary>Throws the final status as an <see cref="RpcException"/> when the call ended non-OK.</summary>
    public void ThrowIfFailed()
    {
        lock (_lock)
        {
            if (_status is { StatusCode: not StatusCode.OK } status)
            {
                throw new RpcException(status, _trailers);
            }
        }
    }

    /// <summary>Writing after the call ended: the failure status, or a plain error after OK.</summary>
    public void ThrowIfFinished()
    {
        ThrowIfFailed();
        if (IsFinished)
        {
            throw new InvalidOperationException("The call has already finished; no more requests can be written.");
        }
    }

    /// <summary>The exception to surface for a request-stream failure: the call's status once known.</summary>
    public RpcException ToRpcException(Exception ex)
    {
        lock (_lock)
        {
            if (_status is { StatusCode: not StatusCode.OK } status)
            {
                return new RpcException(status, _trailers);
            }
        }

        return new RpcException(ToStatus(ex));
    }

    public void Dispose()
    {
        Cancel(CancelledByCaller);
        _deadlineTimer?.Dispose();
        _callerRegistration.Dispose();
        _response?.Dispose();
    }
}
