using RollbackMesh.DBus.Protocol;

namespace RollbackMesh.DBus.Tests.Protocol;

/// <summary>Byte layouts follow the D-Bus specification's marshalling rules (little-endian).</summary>
public sealed class MessageWriterTests
{
    [Fact]
    public void WriteValues_ByteThenUInt32_PadsToFourBytes()
    {
        Assert.Equal(new byte[] { 0x01, 0, 0, 0, 0x04, 0x03, 0x02, 0x01 }, Write("yu", (byte)1, 0x01020304u));
    }

    [Fact]
    public void WriteValues_ByteThenInt64_PadsToEightBytes()
    {
        Assert.Equal(new byte[] { 0xFF, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0x40 }, Write("yx", (byte)0xFF, 0x4000000000000020L));
    }

    [Fact]
    public void WriteValues_ByteThenInt16_PadsToTwoBytes()
    {
        Assert.Equal(new byte[] { 0x07, 0, 0xFE, 0xFF }, Write("yn", (byte)7, (short)-2));
    }

    [Fact]
    public void WriteValues_Boolean_IsFourByteZeroOrOne()
    {
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 }, Write("bb", true, false));
    }

    [Fact]
    public void WriteValues_String_HasLengthBytesAndNul()
    {
        Assert.Equal(new byte[] { 3, 0, 0, 0, (byte)'f', (byte)'o', (byte)'o', 0 }, Write("s", "foo"));
    }

    [Fact]
    public void WriteValues_NonAsciiString_LengthCountsUtf8Bytes()
    {
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0xC3, 0xA9, 0 }, Write("s", "é"));
    }

    [Fact]
    public void WriteValues_Signature_HasOneByteLengthAndNoAlignment()
    {
        Assert.Equal(new byte[] { 9, 2, (byte)'a', (byte)'s', 0 }, Write("yg", (byte)9, "as"));
    }

    [Fact]
    public void WriteValues_EmptyInt64ArrayAfterByte_LengthZeroButPaddedToEight()
    {
        // The spec: padding after the length is not counted, and is present even for an empty array.
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 }, Write("yax", (byte)1, Array.Empty<long>()));
    }

    [Fact]
    public void WriteValues_Int64Array_LengthExcludesPadding()
    {
        var bytes = Write("ax", new long[] { 5 });
        Assert.Equal(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0 }, bytes);
    }

    [Fact]
    public void WriteValues_StructAfterByte_AlignsToEight()
    {
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0 }, Write("y(yu)", (byte)1, new object[] { (byte)2, 3u }));
    }

    [Fact]
    public void WriteValues_DictOfStringToVariant_EntriesAlignToEight()
    {
        var dict = new Dictionary<string, DBusVariant> { ["a"] = new("u", 7u) };
        byte[] expected =
        [
            16, 0, 0, 0, 0, 0, 0, 0,             // array length 16, pad to 8 for the dict entry
            1, 0, 0, 0, (byte)'a', 0,            // key "a"
            1, (byte)'u', 0,                     // variant signature "u"
            0, 0, 0,                             // pad to 4
            7, 0, 0, 0,                          // value
        ];
        Assert.Equal(expected, Write("a{sv}", dict));
    }

    [Fact]
    public void WriteValues_ObjectPathRejectsTrailingSlash_Throws()
    {
        Assert.Throws<ArgumentException>(() => Write("o", "/org/"));
    }

    [Fact]
    public void WriteValues_StringWithNul_Throws()
    {
        Assert.Throws<ArgumentException>(() => Write("s", "a\0b"));
    }

    [Fact]
    public void WriteValues_CountMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => Write("su", "only one"));
    }

    internal static byte[] Write(string signature, params object[] values)
    {
        var writer = new MessageWriter();
        writer.WriteValues(signature, values);
        return writer.ToArray();
    }
}
