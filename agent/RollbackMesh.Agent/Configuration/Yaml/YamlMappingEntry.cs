namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>One "key: value" of a <see cref="YamlMapping"/>.</summary>
/// <param name="Key">The key; the subset only has scalar keys.</param>
/// <param name="Value">The value; an empty plain scalar when nothing follows the ':'.</param>
internal sealed record YamlMappingEntry(YamlScalar Key, YamlNode Value);
