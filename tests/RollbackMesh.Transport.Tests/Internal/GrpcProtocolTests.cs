using RollbackMesh.Transport.Internal;

namespace RollbackMesh.Transport.Tests.Internal;

public sealed class GrpcProtocolTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("500m", 5_000_000L)]
    [InlineData("250u", 2_500L)]
    [InlineData("100n", 1L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    public void TryParseTimeout_ValidValue_ParsesTicks(string value, long ticks)
    {
        Assert.True(GrpcProtocol.TryParseTimeout(value, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("-1S")]
    [InlineData("123456789S")]
    public void TryParseTimeout_InvalidValue_False(string value) => Assert.False(GrpcProtocol.TryParseTimeout(value, out _));

    [Theory]
    [InlineData(1L)]
    [InlineData(12_345L)]
    [InlineData(5_000_000L)]
    [InlineData(36_000_000_000L)]
    [InlineData(864_000_000_000_000L)]
    public void FormatTimeout_RoundTrip_NeverShorterAndAtMostEightDigits(long ticks)
    {
        var text = GrpcProtocol.FormatTimeout(TimeSpan.FromTicks(ticks));

        Assert.InRange(text.Length, 2, 9);
        Assert.True(GrpcProtocol.TryParseTimeout(text, out var parsed));
        Assert.True(parsed.Ticks >= ticks, $"{text} parsed to {parsed.Ticks} < {ticks}");
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("100%", "100%25")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("\u2603", "%E2%98%83")]
    public void PercentEncode_Message_EncodesPerSpec(string message, string encoded)
    {
        Assert.Equal(encoded, GrpcProtocol.PercentEncode(message));
        Assert.Equal(message, GrpcProtocol.PercentDecode(encoded));
    }

    [Fact]
    public void PercentDecode_MalformedEscape_KeptLiterally() => Assert.Equal("50%z", GrpcProtocol.PercentDecode("50%z"));

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void IsGrpcContentType_Value_MatchesSpec(string? contentType, bool expected) =>
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));
}
