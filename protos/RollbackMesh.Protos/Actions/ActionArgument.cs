using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RollbackMesh.V1;

namespace RollbackMesh.Protos.Actions;

/// <summary>One argument of an action message and what its options in actions.proto say about it.</summary>
public sealed class ActionArgument
{
    private readonly object? _default;

    internal ActionArgument(FieldDescriptor field)
    {
        Field = field;
        var options = field.GetOptions();
        Required = options?.GetExtension(ActionOptionsExtensions.RequiredArgument) ?? false;
        Path = options?.GetExtension(ActionOptionsExtensions.PathArgument) ?? PathArgument.Unspecified;
        AgentDefault = options?.GetExtension(ActionOptionsExtensions.AgentDefault) ?? AgentDefault.Unspecified;
        Secret = options?.GetExtension(ActionOptionsExtensions.SecretArgument) ?? false;
        var defaultText = options?.GetExtension(ActionOptionsExtensions.DefaultValue) ?? string.Empty;
        Default = defaultText.Length > 0 ? defaultText : null;

        if ((Path != PathArgument.Unspecified || AgentDefault != AgentDefault.Unspecified) && !IsSingle(FieldType.String))
        {
            throw Invalid("a path or an agent default needs a single string field");
        }

        if (Default is not null && AgentDefault != AgentDefault.Unspecified)
        {
            throw Invalid("has both a default_value and an agent_default");
        }

        _default = Default is null ? null : ParseDefault(Default);
    }

    /// <summary>The proto field.</summary>
    public FieldDescriptor Field { get; }

    /// <summary>The field name, as runbooks and error messages spell the argument.</summary>
    public string Name => Field.Name;

    /// <summary>A runbook step must give it (<c>required_argument</c>).</summary>
    public bool Required { get; }

    /// <summary>The value used when the argument is empty or 0 (<c>default_value</c>), as written; null when none.</summary>
    public string? Default { get; }

    /// <summary>Whether the argument is a confined path (<c>path_argument</c>).</summary>
    public PathArgument Path { get; }

    /// <summary>The agent setting that fills the argument when it is empty (<c>agent_default</c>).</summary>
    public AgentDefault AgentDefault { get; }

    /// <summary>Masked in plan text (<c>secret_argument</c>).</summary>
    public bool Secret { get; }

    /// <summary>True when <paramref name="message"/> holds this argument's zero value (empty string, 0, false, no items).</summary>
    public bool IsUnset(IMessage message) => Field.Accessor.GetValue(message) switch
    {
        string text => text.Length == 0,
        uint number => number == 0,
        bool flag => !flag,
        System.Collections.ICollection items => items.Count == 0,
        IMessage => !Field.Accessor.HasValue(message),
        var other => Convert.ToInt64(other, CultureInfo.InvariantCulture) == 0,
    };

    /// <summary>Sets the <see cref="Default"/> when the argument is unset; false when there is none or a value is given.</summary>
    public bool FillDefault(IMessage message)
    {
        if (_default is null || !IsUnset(message))
        {
            return false;
        }

        Field.Accessor.SetValue(message, _default);
        return true;
    }

    private bool IsSingle(FieldType type) => Field.FieldType == type && !Field.IsRepeated && !Field.IsMap;

    private object ParseDefault(string text)
    {
        if (IsSingle(FieldType.String))
        {
            return text;
        }

        if (IsSingle(FieldType.UInt32) && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        throw Invalid($"default_value '{text}' does not fit the field (a string, or a whole number for uint32)");
    }

    private InvalidOperationException Invalid(string problem) =>
        new($"actions.proto: {Field.ContainingType.Name}.{Field.Name} {problem}");
}
