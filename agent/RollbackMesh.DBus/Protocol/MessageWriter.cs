using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Text;

namespace RollbackMesh.DBus.Protocol;

/// <summary>
/// Marshals values in little-endian byte order. Offsets are relative to the start of this writer, which is
/// correct for both the header and the body because the body always starts on an 8-byte boundary.
/// </summary>
internal sealed class MessageWriter
{
    /// <summary>The spec caps an array's marshalled length at 64 MiB.</summary>
    public const int MaxArrayLength = 64 * 1024 * 1024;

    private byte[] _buffer = new byte[256];
    private int _length;

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Align(int alignment)
    {
        var padding = (alignment - (_length % alignment)) % alignment;
        Reserve(padding).Clear();
    }

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteBoolean(bool value) => WriteUInt32(value ? 1u : 0u);

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(AlignedReserve(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(AlignedReserve(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(AlignedReserve(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(AlignedReserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(AlignedReserve(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(AlignedReserve(8), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(AlignedReserve(8), value);

    public void WriteString(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("D-Bus strings cannot contain NUL.", nameof(value));
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)byteCount);
        Encoding.UTF8.GetBytes(value, Reserve(byteCount));
        WriteByte(0);
    }

    public void WriteObjectPath(ObjectPath value) => WriteString(value.Value);

    public void WriteSignature(string signature)
    {
        Signatures.Split(signature);
        WriteByte((byte)signature.Length);
        Encoding.ASCII.GetBytes(signature, Reserve(signature.Length));
        WriteByte(0);
    }

    /// <summary>Writes the array length placeholder and the padding before the first element.</summary>
    public (int LengthOffset, int ElementsStart) BeginArray(char elementTypeCode)
    {
        WriteUInt32(0);
        var lengthOffset = _length - 4;
        Align(Signatures.Alignment(elementTypeCode));
        return (lengthOffset, _length);
    }

    /// <summary>Patches the length, which counts element bytes only, not the padding after the length.</summary>
    public void EndArray((int LengthOffset, int ElementsStart) array)
    {
        var length = _length - array.ElementsStart;
        if (length > MaxArrayLength)
        {
            throw new InvalidOperationException($"Array of {length} bytes exceeds the D-Bus limit of {MaxArrayLength}.");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(array.LengthOffset, 4), (uint)length);
    }

    /// <summary>Writes each value according to its complete type in <paramref name="signature"/>.</summary>
    public void WriteValues(string signature, IReadOnlyList<object> values)
    {
        var types = Signatures.Split(signature);
        if (types.Count != values.Count)
        {
            throw new ArgumentException($"Signature '{signature}' has {types.Count} types but {values.Count} values were given.");
        }

        for (var i = 0; i < types.Count; i++)
        {
            WriteValue(types[i], values[i]);
        }
    }

    /// <summary>Writes one value whose single complete type is <paramref name="type"/>.</summary>
    public void WriteValue(string type, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var inv = CultureInfo.InvariantCulture;
        switch (type[0])
        {
            case 'y': WriteByte(Convert.ToByte(value, inv)); break;
            case 'b': WriteBoolean(Convert.ToBoolean(value, inv)); break;
            case 'n': WriteInt16(Convert.ToInt16(value, inv)); break;
            case 'q': WriteUInt16(Convert.ToUInt16(value, inv)); break;
            case 'i': WriteInt32(Convert.ToInt32(value, inv)); break;
            case 'u' or 'h': WriteUInt32(Convert.ToUInt32(value, inv)); break;
            case 'x': WriteInt64(Convert.ToInt64(value, inv)); break;
            case 't': WriteUInt64(Convert.ToUInt64(value, inv)); break;
            case 'd': WriteDouble(Convert.ToDouble(value, inv)); break;
            case 's': WriteString((string)value); break;
            case 'o': WriteObjectPath(value is ObjectPath path ? path : new ObjectPath((string)value)); break;
            case 'g': WriteSignature((string)value); break;
            case 'v':
                var variant = (DBusVariant)value;
                WriteSignature(variant.Signature);
                WriteValue(variant.Signature, variant.Value);
                break;
            case '(':
                Align(8);
                WriteValues(type[1..^1], AsList(value, type));
                break;
            case 'a':
                WriteArray(type, value);
                break;
            default:
                throw new FormatException($"Unknown type '{type}'.");
        }
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private void WriteArray(string type, object value)
    {
        var array = BeginArray(type[1]);
        if (type[1] == '{')
        {
            var keyType = type[2..3];
            var valueType = type[3..^1];
            if (value is not IDictionary dictionary)
            {
                throw new ArgumentException($"A value for '{type}' must be an IDictionary, not {value.GetType()}.");
            }

            foreach (DictionaryEntry entry in dictionary)
            {
                Align(8);
                WriteValue(keyType, entry.Key);
                WriteValue(valueType, entry.Value!);
            }
        }
        else if (type == "ay" && value is byte[] bytes)
        {
            bytes.CopyTo(Reserve(bytes.Length));
        }
        else
        {
            var elementType = type[1..];
            foreach (var element in (IEnumerable)value)
            {
                WriteValue(elementType, element!);
            }
        }

        EndArray(array);
    }

    private static IReadOnlyList<object> AsList(object value, string type) => value as IReadOnlyList<object>
        ?? throw new ArgumentException($"A value for '{type}' must be an object[] of the struct's fields, not {value.GetType()}.");

    private Span<byte> AlignedReserve(int size)
    {
        Align(size);
        return Reserve(size);
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
