using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RollbackMesh.Transport.Internal;

/// <summary>Runs one mapped method: validates the request, arms the deadline, invokes the handler, sends the status.</summary>
internal sealed class ServerCallHandler(
    string method, Func<HttpServerCallContext, Task> invoke, GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
{
    public async Task HandleAsync(HttpContext httpContext)
    {
        if (GrpcRequestValidator.TryReject(httpContext))
        {
            GrpcServerLog.RequestRejected(logger, method, httpContext.Response.StatusCode);
            return;
        }

        GrpcRequestValidator.DisableBodyLimits(httpContext);
        using var call = new HttpServerCallContext(httpContext, method, options);
        var timeoutHeader = httpContext.Request.Headers[GrpcProtocol.TimeoutHeader].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (GrpcProtocol.TryParseTimeout(timeoutHeader, out var timeout))
            {
                call.StartDeadline(timeout, timeProvider);
            }
            else
            {
                GrpcServerLog.InvalidTimeout(logger, method, timeoutHeader);
            }
        }

        Status status;
        try
        {
            await invoke(call).ConfigureAwait(false);
            status = call.Status;
        }
        catch (Exception ex)
        {
            status = ToStatus(ex, call);
        }

        try
        {
            await call.CompleteAsync(status, flush: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The client is gone; there is nobody to send the status to.
            GrpcServerLog.StatusNotSent(logger, method, ex);
        }
    }

    private Status ToStatus(Exception ex, HttpServerCallContext call)
    {
        if (ex is RpcException rpc)
        {
            foreach (var entry in rpc.Trailers)
            {
                call.ResponseTrailers.AddEntry(entry);
            }

            GrpcServerLog.CallFailed(logger, method, rpc.StatusCode, rpc.Status.Detail);
            return rpc.Status;
        }

        // Once the token fired, whatever the handler threw (OperationCanceledException, Kestrel's IOException or
        // ConnectionAbortedException for a reset stream) is a consequence of the cancellation, not a bug.
        if (call.CancellationToken.IsCancellationRequested)
        {
            var status = call.IsDeadlineExceeded
                ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")
                : new Status(StatusCode.Cancelled, "Call cancelled by the client or the connection was lost.");
            GrpcServerLog.CallFailed(logger, method, status.StatusCode, status.Detail);
            return status;
        }

        // Never leak exception details to the peer; they go to the log.
        GrpcServerLog.HandlerException(logger, method, ex);
        return new Status(StatusCode.Unknown, "Exception was thrown by handler.");
    }
}
