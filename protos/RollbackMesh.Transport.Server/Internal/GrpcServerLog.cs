using Microsoft.Extensions.Logging;

namespace RollbackMesh.Transport.Internal;

/// <summary>Source-generated log messages of the server transport.</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(1, LogLevel.Debug, "gRPC request for {Method} rejected with HTTP {HttpStatus}.")]
    public static partial void RequestRejected(ILogger logger, string method, int httpStatus);

    [LoggerMessage(2, LogLevel.Debug, "Ignoring invalid grpc-timeout '{Timeout}' on {Method}.")]
    public static partial void InvalidTimeout(ILogger logger, string method, string timeout);

    [LoggerMessage(3, LogLevel.Debug, "Call {Method} finished with {StatusCode}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(4, LogLevel.Error, "Handler for {Method} threw an exception; the client gets UNKNOWN.")]
    public static partial void HandlerException(ILogger logger, string method, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "Status for {Method} not sent: the client is gone.")]
    public static partial void StatusNotSent(ILogger logger, string method, Exception exception);

    [LoggerMessage(6, LogLevel.Debug, "No method mapped for {Path}; answering UNIMPLEMENTED.")]
    public static partial void Unimplemented(ILogger logger, string path);
}
