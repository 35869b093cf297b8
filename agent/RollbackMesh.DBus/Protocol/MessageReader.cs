using System.Buffers.Binary;
using System.Text;

namespace RollbackMesh.DBus.Protocol;

/// <summary>
/// Unmarshals values of either byte order from one message buffer. Alignment is relative to the message start
/// (offset 0 of the buffer); padding must be zero, as the spec requires.
/// </summary>
internal sealed class MessageReader(byte[] buffer, int position, bool bigEndian)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private int _position = position;

    public int Position => _position;

    public void Align(int alignment)
    {
        var padding = (alignment - (_position % alignment)) % alignment;
        foreach (var b in Take(padding))
        {
            if (b != 0)
            {
                throw new FormatException($"Non-zero alignment padding at offset {_position}.");
            }
        }
    }

    public byte ReadByte() => Take(1)[0];

    public bool ReadBoolean() => ReadUInt32() switch
    {
        0 => false,
        1 => true,
        var other => throw new FormatException($"Boolean value {other} is neither 0 nor 1."),
    };

    public short ReadInt16() => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(Aligned(2)) : BinaryPrimitives.ReadInt16LittleEndian(Aligned(2));

    public ushort ReadUInt16() => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(Aligned(2)) : BinaryPrimitives.ReadUInt16LittleEndian(Aligned(2));

    public int ReadInt32() => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(Aligned(4)) : BinaryPrimitives.ReadInt32LittleEndian(Aligned(4));

    public uint ReadUInt32() => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(Aligned(4)) : BinaryPrimitives.ReadUInt32LittleEndian(Aligned(4));

    public long ReadInt64() => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(Aligned(8)) : BinaryPrimitives.ReadInt64LittleEndian(Aligned(8));

    public ulong ReadUInt64() => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(Aligned(8)) : BinaryPrimitives.ReadUInt64LittleEndian(Aligned(8));

    public double ReadDouble() => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(Aligned(8)) : BinaryPrimitives.ReadDoubleLittleEndian(Aligned(8));

    public string ReadString()
    {
        var length = ReadUInt32();
        if (length > int.MaxValue - 1)
        {
            throw new FormatException($"String length {length} is too large.");
        }

        var bytes = Take((int)length + 1);
        if (bytes[^1] != 0)
        {
            throw new FormatException("String is not NUL-terminated.");
        }

        var text = bytes[..^1];
        if (text.Contains((byte)0))
        {
            throw new FormatException("String contains NUL.");
        }

        return StrictUtf8.GetString(text);
    }

    public string ReadSignature()
    {
        var length = ReadByte();
        var bytes = Take(length + 1);
        if (bytes[^1] != 0)
        {
            throw new FormatException("Signature is not NUL-terminated.");
        }

        var signature = Encoding.ASCII.GetString(bytes[..^1]);
        Signatures.Split(signature);
        return signature;
    }

    /// <summary>Reads one value per complete type of <paramref name="signature"/>.</summary>
    public object[] ReadValues(string signature)
    {
        var types = Signatures.Split(signature);
        var values = new object[types.Count];
        for (var i = 0; i < types.Count; i++)
        {
            values[i] = ReadValue(types[i]);
        }

        return values;
    }

    /// <summary>Reads one value of single complete type <paramref name="type"/>, in the shapes DBusVariant documents.</summary>
    public object ReadValue(string type) => type[0] switch
    {
        'y' => ReadByte(),
        'b' => ReadBoolean(),
        'n' => ReadInt16(),
        'q' => ReadUInt16(),
        'i' => ReadInt32(),
        'u' or 'h' => ReadUInt32(),
        'x' => ReadInt64(),
        't' => ReadUInt64(),
        'd' => ReadDouble(),
        's' => ReadString(),
        'o' => new ObjectPath(ReadString()),
        'g' => ReadSignature(),
        'v' => ReadVariant(),
        '(' => ReadStruct(type),
        'a' => ReadArray(type),
        _ => throw new FormatException($"Unknown type '{type}'."),
    };

    private DBusVariant ReadVariant()
    {
        var signature = ReadSignature();
        return new DBusVariant(signature, ReadValue(signature));
    }

    private object[] ReadStruct(string type)
    {
        Align(8);
        return ReadValues(type[1..^1]);
    }

    private object ReadArray(string type)
    {
        var length = ReadUInt32();
        if (length > MessageWriter.MaxArrayLength)
        {
            throw new FormatException($"Array length {length} exceeds the D-Bus limit.");
        }

        Align(Signatures.Alignment(type[1]));
        var end = _position + (int)length;
        if (end > buffer.Length)
        {
            throw new FormatException("Array runs past the end of the message.");
        }

        if (type == "ay")
        {
            return Take((int)length).ToArray();
        }

        if (type[1] == '{')
        {
            var keyType = type[2..3];
            var valueType = type[3..^1];
            var dictionary = new Dictionary<object, object>();
            while (_position < end)
            {
                Align(8);
                var key = ReadValue(keyType);
                dictionary[key] = ReadValue(valueType);
            }

            CheckArrayEnd(end);
            return dictionary;
        }

        var elementType = type[1..];
        var elements = new List<object>();
        while (_position < end)
        {
            elements.Add(ReadValue(elementType));
        }

        CheckArrayEnd(end);
        return elements.ToArray();
    }

    private void CheckArrayEnd(int end)
    {
        if (_position != end)
        {
            throw new FormatException("Array elements do not end at the array's stated length.");
        }
    }

    private ReadOnlySpan<byte> Aligned(int size)
    {
        Align(size);
        return Take(size);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > buffer.Length)
        {
            throw new FormatException("Value runs past the end of the message.");
        }

        var span = buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }
}
