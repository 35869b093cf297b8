namespace RollbackMesh.Transport.Tests;

public sealed class MetadataTests
{
    [Fact]
    public void Add_MixedCaseKey_StoredLowercase()
    {
        var metadata = new Metadata { { "X-Node", "n1" } };

        Assert.Equal("x-node", metadata.Single().Key);
        Assert.Equal("n1", metadata.GetValue("x-node"));
    }

    [Fact]
    public void Add_BinaryValueForAsciiKey_Throws() => Assert.Throws<ArgumentException>(() => new Metadata().Add("x-data", new byte[] { 1 }));

    [Fact]
    public void Add_StringValueForBinKey_Throws() => Assert.Throws<ArgumentException>(() => new Metadata().Add("x-data-bin", "text"));

    [Theory]
    [InlineData("x key")]
    [InlineData("grpc-status")]
    [InlineData("")]
    public void Add_InvalidKey_Throws(string key) => Assert.ThrowsAny<ArgumentException>(() => new Metadata().Add(key, "v"));

    [Fact]
    public void Add_NonAsciiValue_Throws() => Assert.Throws<ArgumentException>(() => new Metadata().Add("x-name", "n\u00f8de"));

    [Fact]
    public void GetValueBytes_BinaryEntry_ReturnsBytes()
    {
        var metadata = new Metadata { { "x-id-bin", new byte[] { 0, 255 } } };

        Assert.Equal(new byte[] { 0, 255 }, metadata.GetValueBytes("x-id-bin"));
        Assert.Null(metadata.GetValue("x-id-bin"));
        Assert.True(metadata.Single().IsBinary);
    }
}
