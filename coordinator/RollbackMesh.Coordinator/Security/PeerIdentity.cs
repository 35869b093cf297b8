namespace RollbackMesh.Coordinator.Security;

/// <summary>An authenticated peer: who the client certificate says it is, after every check passed.</summary>
/// <param name="Kind">Node or operator.</param>
/// <param name="Name">The node or operator name (the certificate's identity URI and CN).</param>
/// <param name="Serial">The certificate's serial number, upper-case hex.</param>
/// <param name="NotAfter">When the certificate expires.</param>
internal sealed record PeerIdentity(PeerKind Kind, string Name, string Serial, DateTimeOffset NotAfter);
