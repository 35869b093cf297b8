namespace RollbackMesh.Coordinator.Security;

/// <summary>A client certificate the CA signed: enough to revoke every certificate of a name.</summary>
internal sealed record IssuedCertificate(string Serial, PeerKind Kind, string Name, DateTimeOffset IssuedAt, DateTimeOffset NotAfter);
