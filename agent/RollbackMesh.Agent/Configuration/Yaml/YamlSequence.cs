namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>A block ("- item") or flow ("[a, b]") sequence.</summary>
/// <param name="Items">The items in document order.</param>
/// <param name="Line">1-based line of the first '-' or of '['.</param>
/// <param name="Column">1-based column of the first '-' or of '['.</param>
internal sealed record YamlSequence(IReadOnlyList<YamlNode> Items, int Line, int Column) : YamlNode(Line, Column);
