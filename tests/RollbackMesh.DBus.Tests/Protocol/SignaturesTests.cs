using RollbackMesh.DBus.Protocol;

namespace RollbackMesh.DBus.Tests.Protocol;

public sealed class SignaturesTests
{
    [Fact]
    public void Split_MixedSignature_ReturnsCompleteTypes()
    {
        Assert.Equal(["s", "a{sv}", "(ia(yy))", "v", "aay"], Signatures.Split("sa{sv}(ia(yy))vaay"));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("(")]
    [InlineData("()")]
    [InlineData("{sv}")]
    [InlineData("a{vs}")]
    [InlineData("a{sss}")]
    [InlineData("(s")]
    [InlineData("z")]
    public void Split_InvalidSignature_Throws(string signature)
    {
        Assert.Throws<FormatException>(() => Signatures.Split(signature));
    }

    [Fact]
    public void Split_ThirtyThreeNestedArrays_Throws()
    {
        Assert.Throws<FormatException>(() => Signatures.Split(new string('a', 33) + "y"));
        Assert.Single(Signatures.Split(new string('a', 32) + "y"));
    }

    [Fact]
    public void Split_LongerThan255_Throws()
    {
        Assert.Throws<FormatException>(() => Signatures.Split(new string('y', 256)));
    }
}
