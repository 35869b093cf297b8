namespace RollbackMesh.Coordinator.Security;

/// <summary>The outcome of resolving a client certificate: an identity, or why there is none.</summary>
internal sealed record PeerIdentityResult(PeerIdentity? Identity, PeerRefusal Refusal, string Detail)
{
    /// <summary>Whether an identity was resolved.</summary>
    public bool IsAccepted => Identity is not null;

    /// <summary>An accepted identity.</summary>
    public static PeerIdentityResult Accept(PeerIdentity identity) => new(identity, PeerRefusal.None, string.Empty);

    /// <summary>A refusal with a reason and a short explanation (safe to log and to send to the client).</summary>
    public static PeerIdentityResult Refuse(PeerRefusal refusal, string detail) => new(null, refusal, detail);
}
