namespace RollbackMesh.Coordinator.Security;

/// <summary>A certificate refused from <see cref="RevokedAt"/> on, and why.</summary>
internal sealed record RevokedCertificate(string Serial, string Name, DateTimeOffset RevokedAt, string Reason);
