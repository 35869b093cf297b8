namespace RollbackMesh.Transport;

/// <summary>Per-call options.</summary>
/// <param name="Headers">Custom request metadata; null for none.</param>
/// <param name="Deadline">When the call must be finished (UTC); sent to the server as <c>grpc-timeout</c>. Null for none.</param>
/// <param name="CancellationToken">Cancels the call: the stream is reset and the call fails with CANCELLED.</param>
public readonly record struct CallOptions(Metadata? Headers = null, DateTime? Deadline = null, CancellationToken CancellationToken = default);
