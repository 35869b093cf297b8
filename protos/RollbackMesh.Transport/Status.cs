namespace RollbackMesh.Transport;

/// <summary>The outcome of a call: a status code and a human-readable detail message.</summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="Detail">The detail message; carried percent-encoded in <c>grpc-message</c>.</param>
public readonly record struct Status(StatusCode StatusCode, string Detail)
{
    /// <summary>The successful status with an empty detail.</summary>
    public static readonly Status DefaultSuccess = new(StatusCode.OK, string.Empty);

    /// <inheritdoc />
    public override string ToString() => $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\")";
}
