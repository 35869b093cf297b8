namespace RollbackMesh.Coordinator.Security;

/// <summary>A join token as stored: its public id, the SHA-256 of its secret (never the secret), limits and use.</summary>
internal sealed record StoredToken(string Id, string SecretHash, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, int MaxUses, int Uses);
