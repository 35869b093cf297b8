using RollbackMesh.Agent.Enrollment;

namespace RollbackMesh.Agent.Tests.Enrollment;

public sealed class AgentJoinTokenTests
{
    private const string Fingerprint = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void TryParse_CoordinatorToken_FingerprintAndIdWithSecretHidden()
    {
        var text = $"K10{Fingerprint}::a1b2c3d4e5f60718.{new string('9', 64)}";

        Assert.True(AgentJoinToken.TryParse(text, out var token));

        Assert.Equal(Fingerprint, token.CaFingerprint);
        Assert.Equal("a1b2c3d4e5f60718", token.Id);
        Assert.Equal(text, token.Text);
        Assert.DoesNotContain(new string('9', 64), token.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("K10abc::id.secret")]
    [InlineData("K10" + Fingerprint + "::id")]
    [InlineData("K10" + Fingerprint + "::id.")]
    [InlineData("K10" + "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef" + "::id.secret")]
    public void TryParse_Malformed_False(string text) => Assert.False(AgentJoinToken.TryParse(text, out _));
}
