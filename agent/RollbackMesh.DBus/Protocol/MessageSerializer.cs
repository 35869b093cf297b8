using System.Buffers.Binary;

namespace RollbackMesh.DBus.Protocol;

/// <summary>Frames messages: the fixed header, the a(yv) header fields, padding to 8, then the body.</summary>
internal static class MessageSerializer
{
    /// <summary>Bytes of the fixed header plus the header-field array length: enough to know the message size.</summary>
    public const int FixedHeaderLength = 16;

    /// <summary>The spec caps a whole message at 128 MiB.</summary>
    public const int MaxMessageLength = 128 * 1024 * 1024;

    private const byte ProtocolVersion = 1;

    public static byte[] Serialize(DBusMessage message)
    {
        Validate(message);
        var body = new MessageWriter();
        body.WriteValues(message.Signature, message.Body);

        var header = new MessageWriter();
        header.WriteByte((byte)'l');
        header.WriteByte((byte)message.Type);
        header.WriteByte((byte)message.Flags);
        header.WriteByte(ProtocolVersion);
        header.WriteUInt32((uint)body.Length);
        header.WriteUInt32(message.Serial);
        var fields = header.BeginArray('(');
        WriteField(header, HeaderField.Path, "o", message.Path is null ? null : new ObjectPath(message.Path));
        WriteField(header, HeaderField.Interface, "s", message.Interface);
        WriteField(header, HeaderField.Member, "s", message.Member);
        WriteField(header, HeaderField.ErrorName, "s", message.ErrorName);
        WriteField(header, HeaderField.ReplySerial, "u", message.ReplySerial);
        WriteField(header, HeaderField.Destination, "s", message.Destination);
        WriteField(header, HeaderField.Sender, "s", message.Sender);
        WriteField(header, HeaderField.Signature, "g", message.Signature.Length > 0 ? message.Signature : null);
        WriteField(header, HeaderField.UnixFds, "u", message.UnixFdCount > 0 ? message.UnixFdCount : null);
        header.EndArray(fields);
        header.Align(8);

        var total = header.Length + body.Length;
        if (total > MaxMessageLength)
        {
            throw new InvalidOperationException($"Message of {total} bytes exceeds the D-Bus limit of {MaxMessageLength}.");
        }

        var result = new byte[total];
        header.WrittenSpan.CopyTo(result);
        body.WrittenSpan.CopyTo(result.AsSpan(header.Length));
        return result;
    }

    /// <summary>The total message length, from the first <see cref="FixedHeaderLength"/> bytes.</summary>
    public static int GetMessageLength(ReadOnlySpan<byte> start)
    {
        var bigEndian = start[0] switch
        {
            (byte)'l' => false,
            (byte)'B' => true,
            var other => throw new FormatException($"Unknown endianness marker 0x{other:x2}."),
        };
        if (start[3] != ProtocolVersion)
        {
            throw new FormatException($"Unsupported protocol version {start[3]}.");
        }

        var bodyLength = ReadUInt32(start[4..], bigEndian);
        var fieldsLength = ReadUInt32(start[12..], bigEndian);
        var headerLength = ((ulong)FixedHeaderLength + fieldsLength + 7) & ~7UL;
        var total = headerLength + bodyLength;
        if (total > MaxMessageLength)
        {
            throw new FormatException($"Incoming message of {total} bytes exceeds the D-Bus limit.");
        }

        return (int)total;
    }

    public static DBusMessage Deserialize(byte[] buffer)
    {
        var total = GetMessageLength(buffer);
        if (total != buffer.Length)
        {
            throw new FormatException($"Message buffer holds {buffer.Length} bytes but the header says {total}.");
        }

        var bigEndian = buffer[0] == (byte)'B';
        var reader = new MessageReader(buffer, 8, bigEndian);
        var serial = reader.ReadUInt32();
        var fields = (object[])reader.ReadValue("a(yv)");
        reader.Align(8);

        string? path = null, iface = null, member = null, errorName = null, destination = null, sender = null;
        string signature = "";
        uint? replySerial = null;
        uint unixFds = 0;
        foreach (object[] field in fields)
        {
            var value = ((DBusVariant)field[1]).Value;
            switch ((HeaderField)(byte)field[0])
            {
                case HeaderField.Path: path = ((ObjectPath)value).Value; break;
                case HeaderField.Interface: iface = (string)value; break;
                case HeaderField.Member: member = (string)value; break;
                case HeaderField.ErrorName: errorName = (string)value; break;
                case HeaderField.ReplySerial: replySerial = (uint)value; break;
                case HeaderField.Destination: destination = (string)value; break;
                case HeaderField.Sender: sender = (string)value; break;
                case HeaderField.Signature: signature = (string)value; break;
                case HeaderField.UnixFds: unixFds = (uint)value; break;
                default: break; // The spec says unknown header fields must be accepted and ignored.
            }
        }

        var body = reader.ReadValues(signature);
        if (reader.Position != buffer.Length)
        {
            throw new FormatException("Message body is longer than its signature describes.");
        }

        var message = new DBusMessage
        {
            Type = (MessageType)buffer[1],
            Flags = (MessageFlags)buffer[2],
            Serial = serial,
            Path = path,
            Interface = iface,
            Member = member,
            ErrorName = errorName,
            ReplySerial = replySerial,
            Destination = destination,
            Sender = sender,
            UnixFdCount = unixFds,
            Signature = signature,
            Body = body,
        };
        return message;
    }

    private static void Validate(DBusMessage message)
    {
        var missing = message.Type switch
        {
            MessageType.MethodCall when message.Path is null || message.Member is null => "PATH and MEMBER",
            MessageType.Signal when message.Path is null || message.Interface is null || message.Member is null => "PATH, INTERFACE and MEMBER",
            MessageType.Error when message.ErrorName is null || message.ReplySerial is null => "ERROR_NAME and REPLY_SERIAL",
            MessageType.MethodReturn when message.ReplySerial is null => "REPLY_SERIAL",
            MessageType.Invalid => "a valid type",
            _ => null,
        };
        if (missing is not null)
        {
            throw new ArgumentException($"A {message.Type} message requires {missing}.", nameof(message));
        }

        if (message.Serial == 0)
        {
            throw new ArgumentException("Serial 0 is not allowed.", nameof(message));
        }
    }

    private static void WriteField(MessageWriter writer, HeaderField field, string signature, object? value)
    {
        if (value is null)
        {
            return;
        }

        writer.Align(8);
        writer.WriteByte((byte)field);
        writer.WriteValue("v", new DBusVariant(signature, value));
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> span, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
}
