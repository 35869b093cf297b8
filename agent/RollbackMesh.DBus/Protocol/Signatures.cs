namespace RollbackMesh.DBus.Protocol;

/// <summary>Validates D-Bus type signatures and splits them into single complete types.</summary>
internal static class Signatures
{
    /// <summary>The spec limits a signature to 255 bytes because its length is marshalled as one byte.</summary>
    public const int MaxLength = 255;

    private const int MaxDepth = 32;

    /// <summary>Splits a signature into its single complete types, validating it on the way.</summary>
    public static IReadOnlyList<string> Split(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Length > MaxLength)
        {
            throw new FormatException($"Signature is longer than {MaxLength} characters.");
        }

        var types = new List<string>();
        var position = 0;
        while (position < signature.Length)
        {
            var start = position;
            ParseCompleteType(signature, ref position, 0, 0);
            types.Add(signature[start..position]);
        }

        return types;
    }

    /// <summary>Throws <see cref="FormatException"/> unless the signature is exactly one complete type.</summary>
    public static void ValidateSingle(string signature)
    {
        if (Split(signature).Count != 1)
        {
            throw new FormatException($"Signature '{signature}' is not a single complete type.");
        }
    }

    /// <summary>The alignment of a type given its type code (the first character of its signature).</summary>
    public static int Alignment(char typeCode) => typeCode switch
    {
        'y' or 'g' or 'v' => 1,
        'n' or 'q' => 2,
        'b' or 'i' or 'u' or 's' or 'o' or 'h' or 'a' => 4,
        'x' or 't' or 'd' or '(' or '{' => 8,
        _ => throw new FormatException($"Unknown type code '{typeCode}'."),
    };

    /// <summary>Basic types are the only ones allowed as dict-entry keys.</summary>
    public static bool IsBasic(char typeCode) => "ybnqiuxtdsogh".Contains(typeCode, StringComparison.Ordinal);

    private static void ParseCompleteType(string signature, ref int position, int arrayDepth, int structDepth)
    {
        if (position >= signature.Length)
        {
            throw new FormatException($"Signature '{signature}' ends inside a container.");
        }

        var code = signature[position++];
        if (IsBasic(code) || code == 'v')
        {
            return;
        }

        switch (code)
        {
            case 'a':
                if (arrayDepth + 1 > MaxDepth)
                {
                    throw new FormatException($"Signature '{signature}' nests arrays deeper than {MaxDepth}.");
                }

                if (position < signature.Length && signature[position] == '{')
                {
                    position++;
                    ParseDictEntry(signature, ref position, arrayDepth + 1, structDepth);
                    return;
                }

                ParseCompleteType(signature, ref position, arrayDepth + 1, structDepth);
                return;
            case '(':
                if (structDepth + 1 > MaxDepth)
                {
                    throw new FormatException($"Signature '{signature}' nests structs deeper than {MaxDepth}.");
                }

                if (position < signature.Length && signature[position] == ')')
                {
                    throw new FormatException($"Signature '{signature}' has an empty struct.");
                }

                while (position < signature.Length && signature[position] != ')')
                {
                    ParseCompleteType(signature, ref position, arrayDepth, structDepth + 1);
                }

                Expect(signature, ref position, ')');
                return;
            default:
                throw new FormatException($"Signature '{signature}' has an unexpected '{code}'.");
        }
    }

    private static void ParseDictEntry(string signature, ref int position, int arrayDepth, int structDepth)
    {
        if (position >= signature.Length || !IsBasic(signature[position]))
        {
            throw new FormatException($"Signature '{signature}' has a dict entry whose key is not a basic type.");
        }

        position++;
        ParseCompleteType(signature, ref position, arrayDepth, structDepth + 1);
        Expect(signature, ref position, '}');
    }

    private static void Expect(string signature, ref int position, char expected)
    {
        if (position >= signature.Length || signature[position] != expected)
        {
            throw new FormatException($"Signature '{signature}' is missing '{expected}'.");
        }

        position++;
    }
}
