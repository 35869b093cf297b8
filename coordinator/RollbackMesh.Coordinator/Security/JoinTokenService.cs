using System.Security.Cryptography;
using System.Text;
using RollbackMesh.Protos.Enrollment;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// Creates and redeems join tokens. A token's secret is 32 random bytes; only its SHA-256 is stored (a fast hash is
/// enough for a secret with 256 bits of entropy: there is nothing to brute-force) and compared in constant time.
/// </summary>
internal sealed class JoinTokenService(SecurityStateFile state, TimeProvider time)
{
    /// <summary>Creates a token valid for <paramref name="ttl"/> and at most <paramref name="maxUses"/> uses (0: unlimited).</summary>
    public JoinToken Create(string caFingerprint, TimeSpan ttl, int maxUses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(maxUses);
        var token = new JoinToken(
            caFingerprint,
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        var now = time.GetUtcNow();
        var stored = new StoredToken(token.Id, Hash(token.Secret), now, now + ttl, maxUses, 0);
        state.Update(s => (s with { Tokens = [.. s.Tokens.Where(t => t.ExpiresAt > now), stored] }, 0));
        return token;
    }

    /// <summary>Checks <paramref name="token"/> and, when it is valid, consumes one use.</summary>
    public TokenRedemption Redeem(JoinToken token)
    {
        var presented = Convert.FromHexString(Hash(token.Secret));
        var now = time.GetUtcNow();
        return state.Update(s =>
        {
            var stored = s.Tokens.FirstOrDefault(t => t.Id == token.Id);
            // Compare even when the id is unknown, against a dummy, so timing does not tell ids apart.
            var expected = Convert.FromHexString(stored?.SecretHash ?? new string('0', 64));
            if (!CryptographicOperations.FixedTimeEquals(presented, expected) || stored is null)
            {
                return (s, TokenRedemption.Invalid);
            }

            if (stored.ExpiresAt <= now)
            {
                return (s, TokenRedemption.Expired);
            }

            if (stored.MaxUses > 0 && stored.Uses >= stored.MaxUses)
            {
                return (s, TokenRedemption.UsedUp);
            }

            return (s with { Tokens = s.Tokens.Replace(stored, stored with { Uses = stored.Uses + 1 }) }, TokenRedemption.Accepted);
        });
    }

    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
