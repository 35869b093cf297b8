using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.IO.Pipelines;
using Google.Protobuf;

namespace RollbackMesh.Transport.Internal;

internal sealed partial class GrpcCall<TRequest, TResponse>
{
    /// <summary>Sends the request and inspects the response headers; true when a response body is there to read.</summary>
    private async Task<bool> SendAsync(HttpRequestMessage message)
    {
        HttpResponseMessage response;
        try
        {
            response = await _channel.Invoker.SendAsync(message, _callCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Finish(ToStatus(ex), new Metadata());
            return false;
        }

        lock (_lock)
        {
            _response = response;
        }

        if (IsFinished)
        {
            response.Dispose();
            return false;
        }

        var headers = ReadMetadata(response.Headers);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var detail = $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}.";
            if (TryGetHeader(response.Headers, GrpcProtocol.MessageHeader, out var grpcMessage))
            {
                detail += " " + GrpcProtocol.PercentDecode(grpcMessage);
            }

            Finish(new Status(GrpcProtocol.FromHttpStatus(response.StatusCode), detail), headers);
            response.Dispose();
            return false;
        }

        if (TryGetHeader(response.Headers, GrpcProtocol.StatusHeader, out _))
        {
            // Trailers-only: the status came in the only HEADERS frame.
            _headers.TrySetResult(headers);
            Finish(ReadStatus(response.Headers), headers);
            response.Dispose();
            return false;
        }

        var contentType = response.Content.Headers.TryGetValues("Content-Type", out var values) ? values.FirstOrDefault() : null;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            Finish(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: '{contentType}'."), headers);
            response.Dispose();
            return false;
        }

        _headers.TrySetResult(headers);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(_callCts.Token).ConfigureAwait(false);
            _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024));
            return true;
        }
        catch (Exception ex)
        {
            Finish(ToStatus(ex), new Metadata());
            AbortTransport();
            return false;
        }
    }

    private void Cancel(int reason)
    {
        if (IsFinished)
        {
            return;
        }

        Interlocked.CompareExchange(ref _cancelReason, reason, NotCancelled);

        // Cancel the HTTP request before anything can end the request body cleanly: the server must see RST_STREAM.
        try
        {
            _callCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        Finish(ToStatus(new OperationCanceledException()), new Metadata());
        AbortTransport();
    }

    private void Finish(Status status, Metadata trailers)
    {
        lock (_lock)
        {
            if (_status is not null)
            {
                return;
            }

            _status = status;
            _trailers = trailers;
        }

        var error = new RpcException(status, trailers);
        if (_headers.TrySetException(error))
        {
            _ = _headers.Task.Exception; // Observed: many callers never ask for the headers.
        }

        _deadlineTimer?.Dispose();
        _callerRegistration.Unregister();
        RequestContent?.Abort(error);
    }

    /// <summary>Disposing an unfinished response resets the stream (RST_STREAM CANCEL).</summary>
    private void AbortTransport()
    {
        HttpResponseMessage? response;
        lock (_lock)
        {
            response = _response;
        }

        response?.Dispose();
    }

    private Status ToStatus(Exception ex)
    {
        if (ex is RpcException rpc)
        {
            return rpc.Status;
        }

        switch (Volatile.Read(ref _cancelReason))
        {
            case CancelledByDeadline:
                return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
            case CancelledByCaller:
                return new Status(StatusCode.Cancelled, "Call cancelled by the client.");
        }

        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException protocol)
            {
                // The spec's RST_STREAM table applies to a reset stream; a connection torn down (keepalive PING
                // unanswered, GOAWAY, bad frames) is a broken transport: UNAVAILABLE. .NET tells the two apart only
                // by message, so the table's specific codes are trusted and the rest looked at.
                var streamReset = protocol.ErrorCode is 0x7 or 0x8 or 0xb or 0xc
                    || protocol.Message.Contains("reset the stream", StringComparison.OrdinalIgnoreCase);
                var code = streamReset ? GrpcProtocol.FromHttp2ErrorCode(protocol.ErrorCode) : StatusCode.Unavailable;
                return new Status(code, $"HTTP/2 error 0x{protocol.ErrorCode:x}: {protocol.Message}");
            }
        }

        return ex switch
        {
            OperationCanceledException => new Status(StatusCode.Cancelled, "Call cancelled."),
            HttpRequestException or IOException => new Status(StatusCode.Unavailable, "Transport failure: " + Describe(ex)),
            _ => new Status(StatusCode.Internal, "Client call failed: " + Describe(ex)),
        };
    }

    private static string Describe(Exception ex) =>
        ex.InnerException is null ? ex.Message : ex.Message + " (" + ex.InnerException.Message + ")";

    private static Status ReadStatus(HttpHeaders headers)
    {
        if (!TryGetHeader(headers, GrpcProtocol.StatusHeader, out var value))
        {
            return new Status(StatusCode.Internal, "The server ended the response without a grpc-status.");
        }

        var code = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 16
            ? (StatusCode)number
            : StatusCode.Unknown;
        TryGetHeader(headers, GrpcProtocol.MessageHeader, out var message);
        return new Status(code, GrpcProtocol.PercentDecode(message));
    }

    private static Metadata ReadMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers.NonValidated)
        {
            MetadataCodec.AddReceived(metadata, header.Key, header.Value);
        }

        return metadata;
    }

    private static bool TryGetHeader(HttpHeaders headers, string name, out string? value)
    {
        if (headers.NonValidated.TryGetValues(name, out var values) && values.Count > 0)
        {
            value = values.ToString();
            return true;
        }

        value = null;
        return false;
    }
}
