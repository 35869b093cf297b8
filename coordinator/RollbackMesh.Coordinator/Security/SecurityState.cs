using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Security;

/// <summary>The coordinator's security state: join tokens (hashed), issued client certificates and revocations.</summary>
internal sealed record SecurityState
{
    /// <summary>An empty state.</summary>
    public static readonly SecurityState Empty = new();

    /// <summary>Join tokens, expired ones included until pruned.</summary>
    public ImmutableArray<StoredToken> Tokens { get; init; } = [];

    /// <summary>Every client certificate issued.</summary>
    public ImmutableArray<IssuedCertificate> Issued { get; init; } = [];

    /// <summary>Revoked certificates.</summary>
    public ImmutableArray<RevokedCertificate> Revoked { get; init; } = [];
}
