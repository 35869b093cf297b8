using RollbackMesh.Protos.Enrollment;
using Xunit;

namespace RollbackMesh.Protos.Tests.Enrollment;

/// <summary>The one join-token parser both ends use.</summary>
public sealed class JoinTokenTests
{
    private const string Fingerprint = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void TryParse_CoordinatorToken_FingerprintAndIdWithSecretHidden()
    {
        var text = $"K10{Fingerprint}::a1b2c3d4e5f60718.{new string('9', 64)}";

        Assert.True(JoinToken.TryParse(text, out var token));

        Assert.Equal(Fingerprint, token.CaFingerprint);
        Assert.Equal("a1b2c3d4e5f60718", token.Id);
        Assert.Equal(new string('9', 64), token.Secret);
        Assert.Equal(text, token.Format());
        Assert.DoesNotContain(new string('9', 64), token.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("K10abc::id.secret")]
    [InlineData("K10" + Fingerprint + "::id")]
    [InlineData("K10" + Fingerprint + "::id.")]
    [InlineData("K10" + Fingerprint + "::0123.0123456789abcde")] // secret shorter than 16
    [InlineData("K10" + Fingerprint + "::0123.0123456789abcdeg")] // not hex
    [InlineData("K10" + Fingerprint + "::.0123456789abcdef")] // no id
    public void TryParse_Malformed_False(string text) => Assert.False(JoinToken.TryParse(text, out _));

    [Fact]
    public void TryParse_UppercaseFingerprint_ReadAsLowercase()
    {
        Assert.True(JoinToken.TryParse($"K10{Fingerprint.ToUpperInvariant()}::0123.0123456789abcdef", out var token));

        Assert.Equal(Fingerprint, token.CaFingerprint);
    }
}
