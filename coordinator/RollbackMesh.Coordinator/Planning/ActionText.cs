using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Protos.Actions;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// Human-readable forms of an action for plan output and the operator API: the kind as runbooks spell it and its
/// set fields as <c>key=value</c> in field order. Arguments actions.proto marks <c>secret_argument</c> are masked.
/// </summary>
internal static class ActionText
{
    /// <summary>The oneof field name, e.g. <c>k3s_cluster_reset</c>; empty when no kind is set.</summary>
    public static string KindName(V1.Action action) =>
        action.KindCase == V1.Action.KindOneofCase.None
            ? ""
            : V1.Action.Descriptor.FindFieldByNumber((int)action.KindCase).Name;

    /// <summary>The set arguments, e.g. <c>unit=k3s operation=start</c>.</summary>
    public static string Arguments(V1.Action action) => ActionCatalog.Inner(action) is { } message ? Arguments(message) : "";

    /// <summary>The set arguments of an action message (any message carrying actions.proto's options).</summary>
    public static string Arguments(IMessage message)
    {
        var parts = new List<string>();
        foreach (var argument in ActionDescription.Of(message.Descriptor).Arguments)
        {
            var text = Format(argument.Field, argument.Field.Accessor.GetValue(message));
            if (text is not null)
            {
                parts.Add($"{argument.Name}={(argument.Secret ? "***" : text)}");
            }
        }

        return string.Join(' ', parts);
    }

    /// <summary>Kind and arguments on one line.</summary>
    public static string Describe(V1.Action action) => $"{KindName(action)} {Arguments(action)}".TrimEnd();

    private static string? Format(FieldDescriptor field, object value)
    {
        if (field.IsMap)
        {
            var map = (IDictionary)value;
            return map.Count == 0 ? null
                : "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => $"{k}: {Quote(map[k]?.ToString() ?? "")}")) + "}";
        }

        if (field.IsRepeated)
        {
            var list = ((IList)value).Cast<object>().ToList();
            return list.Count == 0 ? null : "[" + string.Join(", ", list.Select(i => Quote(i.ToString() ?? ""))) + "]";
        }

        return field.FieldType switch
        {
            FieldType.String => value is "" ? null : Quote((string)value),
            FieldType.Bool => value is true ? "true" : null,
            FieldType.UInt32 => value is 0u ? null : value.ToString(),
            FieldType.Enum => (int)value == 0 ? null
                : ActionKinds.EnumSpellings(field.EnumType).FirstOrDefault(p => p.Value == (int)value).Key,
            _ => value.ToString(),
        };
    }

    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => !char.IsWhiteSpace(c) && c is not ('"' or ',' or '[' or ']' or '{' or '}'))
            ? text
            : "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
