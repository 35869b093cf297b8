using Grpc.Core;

namespace RollbackMesh.Agent.Enrollment;

/// <summary>Enrollment or renewal failed; the message says why (never containing the token's secret).</summary>
internal sealed class EnrollmentException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// True when a later attempt may succeed unchanged: the coordinator was unreachable, busy (rate limited) or timed
    /// out. A refusal (bad or used-up token, removed node, CA mismatch) is not transient.
    /// </summary>
    public bool IsTransient => InnerException switch
    {
        HttpRequestException or IOException or TimeoutException => true,
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted
            or StatusCode.Cancelled
            // grpc-dotnet reports a connection that broke mid-call as INTERNAL, with the HTTP stack's exception attached.
            || (rpc.StatusCode == StatusCode.Internal && rpc.Status.DebugException is HttpRequestException or IOException),
        _ => false,
    };
}
