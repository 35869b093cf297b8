using System.Globalization;
using Google.Protobuf.Reflection;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>Converts one scalar argument text to the CLR value a proto field takes, or says why it cannot.</summary>
internal static class ArgumentConversion
{
    public static string? TryConvert(FieldDescriptor field, string text, out object value)
    {
        value = text;
        switch (field.FieldType)
        {
            case FieldType.String:
                return null;
            case FieldType.Bool:
                if (text is "true" or "false")
                {
                    value = text == "true";
                    return null;
                }

                return $"'{text}' is not true or false";
            case FieldType.UInt32:
                if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    value = number;
                    return null;
                }

                return $"'{text}' is not a non-negative integer";
            case FieldType.Enum:
                var spellings = ActionKinds.EnumSpellings(field.EnumType);
                if (spellings.TryGetValue(text, out var enumNumber))
                {
                    value = Enum.ToObject(field.EnumType.ClrType, enumNumber);
                    return null;
                }

                return $"'{text}' is not one of: {string.Join(", ", spellings.Keys)}";
            default:
                return $"fields of type {field.FieldType} are not supported in runbooks";
        }
    }

    /// <summary>Items of a repeated field given as one scalar: comma-separated, blanks dropped.</summary>
    public static IEnumerable<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
