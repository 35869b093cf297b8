namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>A block ("key: value") or flow ("{k: v}") mapping; keys are scalars and unique (ordinal).</summary>
/// <param name="Entries">The entries in document order.</param>
/// <param name="Line">1-based line of the first key or of '{'.</param>
/// <param name="Column">1-based column of the first key or of '{'.</param>
internal sealed record YamlMapping(IReadOnlyList<YamlMappingEntry> Entries, int Line, int Column) : YamlNode(Line, Column);
