using System.Diagnostics.CodeAnalysis;

namespace RollbackMesh.Protos.Enrollment;

/// <summary>
/// A join token, in the K3s secure-token shape: <c>K10&lt;sha256 of the CA certificate, hex&gt;::&lt;id&gt;.&lt;secret&gt;</c>.
/// The fingerprint lets a new agent pin the CA before it trusts anything; the id finds the stored record; only the
/// secret's hash is stored. <see cref="ToString"/> hides the secret so a token never reaches a log by accident.
/// One parser for both ends: the coordinator creates and redeems tokens, the agent reads one from its configuration.
/// </summary>
public sealed record JoinToken(string CaFingerprint, string Id, string Secret)
{
    /// <summary>The token prefix (as in K3s).</summary>
    public const string Prefix = "K10";

    /// <summary>The full token text, secret included: print it once to the operator, never log it.</summary>
    public string Format() => $"{Prefix}{CaFingerprint}::{Id}.{Secret}";

    /// <inheritdoc />
    public override string ToString() => $"{Prefix}{CaFingerprint}::{Id}.<secret>";

    /// <summary>Parses a token; false when it is not in the expected shape.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JoinToken? token)
    {
        token = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var separator = text.IndexOf("::", StringComparison.Ordinal);
        var dot = separator < 0 ? -1 : text.IndexOf('.', separator + 2);
        if (separator < 0 || dot < 0)
        {
            return false;
        }

        var fingerprint = text[Prefix.Length..separator].ToLowerInvariant();
        var id = text[(separator + 2)..dot];
        var secret = text[(dot + 1)..];
        if (fingerprint.Length != 64 || !IsHex(fingerprint) || id.Length is 0 or > 32 || !IsHex(id)
            || secret.Length is < 16 or > 128 || !IsHex(secret))
        {
            return false;
        }

        token = new JoinToken(fingerprint, id, secret);
        return true;
    }

    private static bool IsHex(string value) => value.All(char.IsAsciiHexDigitLower);
}
