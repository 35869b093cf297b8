using RollbackMesh.DBus.Protocol;

namespace RollbackMesh.DBus.Tests.Protocol;

public sealed class MessageReaderTests
{
    public static TheoryData<string, object> BasicValues => new()
    {
        { "y", (byte)200 },
        { "b", true },
        { "n", short.MinValue },
        { "q", ushort.MaxValue },
        { "i", -123456 },
        { "u", uint.MaxValue },
        { "x", long.MinValue },
        { "t", ulong.MaxValue },
        { "d", 3.25 },
        { "s", "héllo" },
        { "o", new ObjectPath("/org/freedesktop/DBus") },
        { "g", "a{sv}" },
        { "h", 3u },
    };

    [Theory]
    [MemberData(nameof(BasicValues))]
    public void ReadValue_AfterByteWrite_RoundTripsBasicType(string type, object value)
    {
        // A leading byte forces every type through its padding.
        var bytes = MessageWriterTests.Write("y" + type, (byte)1, value);
        var values = new MessageReader(bytes, 0, bigEndian: false).ReadValues("y" + type);
        Assert.Equal(value, values[1]);
    }

    [Fact]
    public void ReadValues_NestedContainers_RoundTripToSameBytes()
    {
        const string signature = "ya(sa{sv})ayv";
        var nested = new object[]
        {
            (byte)9,
            new object[]
            {
                new object[] { "first", new Dictionary<object, object> { ["n"] = new DBusVariant("x", 5L), ["l"] = new DBusVariant("as", new object[] { "a", "b" }) } },
                new object[] { "second", new Dictionary<object, object>() },
            },
            new byte[] { 1, 2, 3 },
            new DBusVariant("(dt)", new object[] { 1.5, 7UL }),
        };
        var bytes = MessageWriterTests.Write(signature, nested);

        var read = new MessageReader(bytes, 0, bigEndian: false).ReadValues(signature);

        Assert.Equal(bytes, MessageWriterTests.Write(signature, read));
        var entries = (object[])read[1];
        var firstDict = (Dictionary<object, object>)((object[])entries[0])[1];
        Assert.Equal(5L, ((DBusVariant)firstDict["n"]).Value);
        Assert.Equal(new byte[] { 1, 2, 3 }, read[2]);
    }

    [Fact]
    public void ReadValues_BigEndianBytes_ReadsBigEndianValues()
    {
        byte[] bytes = [0x01, 0, 0x12, 0x34, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 2, (byte)'h', (byte)'i', 0];
        var values = new MessageReader(bytes, 0, bigEndian: true).ReadValues("yqus");
        Assert.Equal(new object[] { (byte)1, (ushort)0x1234, 0x01020304u, "hi" }, values);
    }

    [Fact]
    public void ReadValue_NonZeroPadding_Throws()
    {
        byte[] bytes = [1, 0xAA, 0, 0, 5, 0, 0, 0];
        Assert.Throws<FormatException>(() => new MessageReader(bytes, 0, bigEndian: false).ReadValues("yu"));
    }

    [Fact]
    public void ReadValue_BooleanTwo_Throws()
    {
        Assert.Throws<FormatException>(() => new MessageReader([2, 0, 0, 0], 0, bigEndian: false).ReadValue("b"));
    }

    [Fact]
    public void ReadValue_ArrayLengthPastEnd_Throws()
    {
        Assert.Throws<FormatException>(() => new MessageReader([16, 0, 0, 0, 1, 0, 0, 0], 0, bigEndian: false).ReadValue("au"));
    }

    [Fact]
    public void ReadValue_StringWithoutNul_Throws()
    {
        Assert.Throws<FormatException>(() => new MessageReader([2, 0, 0, 0, (byte)'h', (byte)'i', (byte)'!'], 0, bigEndian: false).ReadValue("s"));
    }
}
