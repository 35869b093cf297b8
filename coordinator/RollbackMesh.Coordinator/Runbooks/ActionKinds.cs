using Google.Protobuf.Reflection;
using RollbackMesh.Protos.Actions;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// The step kinds a runbook may use: exactly the cases of the <c>Action.kind</c> oneof, with the required arguments and
/// read-only kinds that actions.proto's options say (<see cref="ActionCatalog"/>), so a new action in actions.proto is
/// usable without touching this file.
/// </summary>
internal static class ActionKinds
{
    /// <summary>Every kind name, sorted, for error messages.</summary>
    public static IEnumerable<string> Names => ActionCatalog.Names.Order(StringComparer.Ordinal);

    public static bool TryGet(string kind, out FieldDescriptor field) => ActionCatalog.TryGet(kind, out field);

    /// <summary>The arguments a step of <paramref name="kind"/> must give (<c>required_argument</c>), in field order.</summary>
    public static IEnumerable<string> Required(string kind) =>
        ActionCatalog.Describe(kind)?.Required.Select(a => a.Name) ?? [];

    /// <summary>Whether <paramref name="kind"/> only observes (<c>read_only</c>): preflight may use only these, and the
    /// ordering invariants ignore them.</summary>
    public static bool IsReadOnly(string kind) => ActionCatalog.Describe(kind)?.ReadOnly ?? false;

    /// <summary>The YAML spelling of an enum value: the value name without the enum's prefix, lower case
    /// (<c>SERVICE_OPERATION_START</c> is <c>start</c>). The <c>_UNSPECIFIED</c> value is not offered.</summary>
    public static IReadOnlyDictionary<string, int> EnumSpellings(EnumDescriptor type)
    {
        var unspecified = type.Values.Single(v => v.Number == 0).Name;
        var prefix = unspecified[..(unspecified.Length - "UNSPECIFIED".Length)];
        return type.Values.Where(v => v.Number != 0)
            .ToDictionary(v => v.Name[prefix.Length..].ToLowerInvariant(), v => v.Number, StringComparer.Ordinal);
    }
}
