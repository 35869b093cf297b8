using RollbackMesh.Coordinator.Security;
using Xunit;
using RollbackMesh.Protos.Enrollment;

namespace RollbackMesh.Coordinator.Tests.Security;

public sealed class JoinTokenServiceTests
{
    [Fact]
    public void Create_Token_CarriesCaFingerprintAndRoundTrips()
    {
        using var f = new SecurityFixture();

        var token = f.Tokens.Create(f.Authority.Fingerprint, TimeSpan.FromHours(1), 1);
        var text = token.Format();

        Assert.StartsWith("K10" + f.Authority.Fingerprint + "::", text, StringComparison.Ordinal);
        Assert.True(JoinToken.TryParse(text, out var parsed));
        Assert.Equal(token, parsed);
        Assert.DoesNotContain(token.Secret, token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Token_StoresOnlyTheSecretsHash()
    {
        using var f = new SecurityFixture();

        var token = f.Tokens.Create(f.Authority.Fingerprint, TimeSpan.FromHours(1), 1);

        var stored = File.ReadAllText(f.Paths.StateFile);
        Assert.DoesNotContain(token.Secret, stored, StringComparison.Ordinal);
        Assert.Contains(JoinTokenService.Hash(token.Secret), stored, StringComparison.Ordinal);
        Assert.Equal(FileModes.OwnerOnly, FileModes.Of(f.Paths.StateFile));
    }

    [Fact]
    public void Redeem_UsesExhausted_UsedUp()
    {
        using var f = new SecurityFixture();
        var token = f.Tokens.Create(f.Authority.Fingerprint, TimeSpan.FromHours(1), 2);

        Assert.Equal(TokenRedemption.Accepted, f.Tokens.Redeem(token));
        Assert.Equal(TokenRedemption.Accepted, f.Tokens.Redeem(token));
        Assert.Equal(TokenRedemption.UsedUp, f.Tokens.Redeem(token));
    }

    [Fact]
    public void Redeem_AfterTtl_Expired()
    {
        using var f = new SecurityFixture();
        var token = f.Tokens.Create(f.Authority.Fingerprint, TimeSpan.FromMinutes(10), 0);
        f.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(TokenRedemption.Expired, f.Tokens.Redeem(token));
    }

    [Fact]
    public void Redeem_WrongSecretOrUnknownId_InvalidAndNoUseConsumed()
    {
        using var f = new SecurityFixture();
        var token = f.Tokens.Create(f.Authority.Fingerprint, TimeSpan.FromHours(1), 1);

        Assert.Equal(TokenRedemption.Invalid, f.Tokens.Redeem(token with { Secret = new string('a', 64) }));
        Assert.Equal(TokenRedemption.Invalid, f.Tokens.Redeem(token with { Id = "0123456789abcdef" }));
        Assert.Equal(TokenRedemption.Accepted, f.Tokens.Redeem(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("K10abc::id.secret")]
    [InlineData("K20" + "0000000000000000000000000000000000000000000000000000000000000000::0123.0123456789abcdef0123")]
    [InlineData("K10" + "0000000000000000000000000000000000000000000000000000000000000000::0123")]
    [InlineData("K10" + "0000000000000000000000000000000000000000000000000000000000000000::0123.short")]
    public void TryParse_Malformed_False(string text) => Assert.False(JoinToken.TryParse(text, out _));
}
