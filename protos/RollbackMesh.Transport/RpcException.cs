namespace RollbackMesh.Transport;

/// <summary>A call finished with a non-OK status. Thrown by client calls; thrown by handlers to choose the status.</summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates the exception for <paramref name="status"/>, with optional trailers to send or that were received.</summary>
    public RpcException(Status status, Metadata? trailers = null)
        : base(status.ToString())
    {
        Status = status;
        Trailers = trailers ?? new Metadata();
    }

    /// <summary>The status of the call.</summary>
    public Status Status { get; }

    /// <summary>The status code of the call.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>The trailers received (client) or to send (server).</summary>
    public Metadata Trailers { get; }
}
