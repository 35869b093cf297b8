namespace RollbackMesh.Coordinator.Security;

/// <summary>Why a client certificate was not accepted as an identity.</summary>
internal enum PeerRefusal
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>No client certificate was presented.</summary>
    NoCertificate,

    /// <summary>The certificate does not chain to this coordinator's CA.</summary>
    UntrustedIssuer,

    /// <summary>The certificate is not yet valid or has expired.</summary>
    OutsideValidity,

    /// <summary>The certificate was revoked (e.g. <c>node remove</c>).</summary>
    Revoked,

    /// <summary>The certificate carries no usable identity (no identity URI, wrong EKU, name mismatch).</summary>
    NoIdentity,

    /// <summary>The certificate is valid but of the other kind (a node certificate where an operator is required, or vice versa).</summary>
    WrongKind,
}
