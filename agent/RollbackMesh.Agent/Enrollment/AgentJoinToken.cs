using System.Diagnostics.CodeAnalysis;

namespace RollbackMesh.Agent.Enrollment;

/// <summary>
/// A join token as the agent reads it: <c>K10&lt;CA sha256 hex&gt;::&lt;id&gt;.&lt;secret&gt;</c> (the coordinator's
/// <c>token create</c> output). <see cref="ToString"/> never shows the secret.
/// </summary>
internal sealed record AgentJoinToken(string CaFingerprint, string Id, string Text)
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a join token.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out AgentJoinToken? token)
    {
        token = null;
        text = text?.Trim();
        if (text is null || !text.StartsWith("K10", StringComparison.Ordinal))
        {
            return false;
        }

        var separator = text.IndexOf("::", StringComparison.Ordinal);
        var dot = separator < 0 ? -1 : text.IndexOf('.', separator + 2);
        if (separator != 67 || dot < 0 || dot == text.Length - 1)
        {
            return false;
        }

        var fingerprint = text[3..separator];
        if (!fingerprint.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        token = new AgentJoinToken(fingerprint, text[(separator + 2)..dot], text);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"K10{CaFingerprint}::{Id}.<secret>";
}
