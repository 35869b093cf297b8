using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// One step argument as written: a scalar (which may hold <c>${...}</c> references), a list (repeated fields) or
/// a string map (map fields). Exactly one of the three shapes is set.
/// </summary>
internal sealed record ArgumentValue(
    string? Scalar,
    ImmutableArray<string> Items,
    ImmutableSortedDictionary<string, string>? Map,
    SourcePosition Position)
{
    public static ArgumentValue FromScalar(string value, SourcePosition position) =>
        new(value, [], null, position);

    public static ArgumentValue FromList(ImmutableArray<string> items, SourcePosition position) =>
        new(null, items, null, position);

    public static ArgumentValue FromMap(ImmutableSortedDictionary<string, string> map, SourcePosition position) =>
        new(null, [], map, position);

    /// <summary>Every text the value holds (scalar, items, map keys and values), for reference checks.</summary>
    public IEnumerable<string> Texts =>
        Scalar is not null ? [Scalar] : Map is not null ? Map.Keys.Concat(Map.Values) : Items;
}
