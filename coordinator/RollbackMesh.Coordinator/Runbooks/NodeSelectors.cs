using System.Collections.Frozen;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// The YAML spelling of <see cref="NodeSelector"/> values and the tier order the planner enforces. A selector naming
/// one role is spelled as that role.
/// </summary>
internal static class NodeSelectors
{
    private static readonly FrozenDictionary<string, NodeSelector> ByName = new Dictionary<string, NodeSelector>
    {
        [NodeRoles.FirstServer] = NodeSelector.FirstServer,
        ["other-servers"] = NodeSelector.OtherServers,
        ["servers"] = NodeSelector.Servers,
        ["agents"] = NodeSelector.Agents,
        [NodeRoles.Control] = NodeSelector.Control,
        [NodeRoles.Compute] = NodeSelector.Compute,
        ["all"] = NodeSelector.All,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The accepted spellings, for error messages.</summary>
    public static string Accepted => string.Join(", ", ByName.Keys.Order(StringComparer.Ordinal));

    public static bool TryParse(string text, out NodeSelector selector) => ByName.TryGetValue(text, out selector);

    public static string Format(NodeSelector selector) => ByName.First(p => p.Value == selector).Key;
}
