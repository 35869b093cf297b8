using System.Collections.Frozen;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace RollbackMesh.Protos.Actions;

/// <summary>
/// The action kinds: the cases of the <c>Action.kind</c> oneof, by the field name runbooks use, each with the
/// description of its message. A new action in actions.proto appears here with nothing else to edit.
/// </summary>
public static class ActionCatalog
{
    private static readonly FrozenDictionary<string, FieldDescriptor> Cases =
        V1.Action.Descriptor.Oneofs.Single(o => o.Name == "kind").Fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Every kind name, in field-number order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. Cases.Values.OrderBy(f => f.FieldNumber).Select(f => f.Name)];

    /// <summary>The oneof case named <paramref name="kind"/>.</summary>
    public static bool TryGet(string kind, out FieldDescriptor field) => Cases.TryGetValue(kind, out field!);

    /// <summary>The description of the message behind <paramref name="kind"/>; null for an unknown kind.</summary>
    public static ActionDescription? Describe(string kind) =>
        Cases.TryGetValue(kind, out var field) ? ActionDescription.Of(field.MessageType) : null;

    /// <summary>A new action of <paramref name="kind"/> holding <paramref name="arguments"/>, its empty message, to fill.</summary>
    /// <exception cref="KeyNotFoundException">No such kind.</exception>
    public static V1.Action Create(string kind, out IMessage arguments)
    {
        var field = Cases.TryGetValue(kind, out var found) ? found : throw new KeyNotFoundException($"unknown action kind '{kind}'");
        arguments = field.MessageType.Parser.ParseFrom(ByteString.Empty);
        var action = new V1.Action();
        field.Accessor.SetValue(action, arguments);
        return action;
    }

    /// <summary>The set kind's message inside <paramref name="action"/>; null when no kind is set.</summary>
    public static IMessage? Inner(V1.Action action) =>
        action.KindCase == V1.Action.KindOneofCase.None
            ? null
            : (IMessage)V1.Action.Descriptor.FindFieldByNumber((int)action.KindCase).Accessor.GetValue(action);
}
