namespace RollbackMesh.Coordinator.Security;

/// <summary>The outcome of presenting a join token.</summary>
internal enum TokenRedemption
{
    /// <summary>Valid; one use was consumed.</summary>
    Accepted,

    /// <summary>No token has this id, or the secret does not match (not told apart, to give nothing away).</summary>
    Invalid,

    /// <summary>The token's expiry has passed.</summary>
    Expired,

    /// <summary>The token was used as many times as allowed.</summary>
    UsedUp,
}
