using RollbackMesh.DBus.Protocol;

namespace RollbackMesh.DBus.Tests.Protocol;

public sealed class MessageSerializerTests
{
    [Fact]
    public void Serialize_HelloCall_HasSpecHeaderLayout()
    {
        var message = new DBusMessage
        {
            Type = MessageType.MethodCall,
            Serial = 1,
            Path = "/org/freedesktop/DBus",
            Interface = "org.freedesktop.DBus",
            Member = "Hello",
            Destination = "org.freedesktop.DBus",
        };

        var bytes = MessageSerializer.Serialize(message);

        Assert.Equal(new byte[] { (byte)'l', 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0 }, bytes[..12]);
        // First field: code 1 (PATH), variant signature "o", then the path string aligned to 4.
        Assert.Equal(new byte[] { 1, 1, (byte)'o', 0, 21, 0, 0, 0 }, bytes[16..24]);
        Assert.Equal(0, bytes.Length % 8);
        Assert.Equal(bytes.Length, MessageSerializer.GetMessageLength(bytes));
    }

    [Fact]
    public void Deserialize_SerializedSignal_RoundTripsHeaderAndBody()
    {
        var message = new DBusMessage
        {
            Type = MessageType.Signal,
            Flags = MessageFlags.NoAutoStart,
            Serial = 77,
            Path = "/a/b",
            Interface = "com.example.I",
            Member = "Changed",
            Sender = ":1.5",
            Signature = "sa{sv}",
            Body = ["x", new Dictionary<object, object> { ["k"] = new DBusVariant("i", 4) }],
        };

        var read = MessageSerializer.Deserialize(MessageSerializer.Serialize(message));

        Assert.Equal(message with { Body = read.Body }, read);
        Assert.Equal("x", read.Body[0]);
        Assert.Equal(4, ((DBusVariant)((Dictionary<object, object>)read.Body[1])["k"]).Value);
    }

    [Fact]
    public void Serialize_ErrorWithoutReplySerial_Throws()
    {
        var error = new DBusMessage { Type = MessageType.Error, Serial = 1, ErrorName = "a.b.C" };
        Assert.Throws<ArgumentException>(() => MessageSerializer.Serialize(error));
    }

    [Fact]
    public void GetMessageLength_UnknownEndianness_Throws()
    {
        Assert.Throws<FormatException>(() => MessageSerializer.GetMessageLength(new byte[16]));
    }

    [Fact]
    public void GetMessageLength_OverLimit_Throws()
    {
        byte[] start = [(byte)'l', 1, 0, 1, 0, 0, 0, 0x10, 1, 0, 0, 0, 0, 0, 0, 0];
        Assert.Throws<FormatException>(() => MessageSerializer.GetMessageLength(start));
    }
}
