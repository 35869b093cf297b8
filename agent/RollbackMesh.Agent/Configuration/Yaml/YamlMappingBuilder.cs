namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>Collects the entries of one mapping and refuses a key given twice (YAML requires unique keys).</summary>
internal sealed class YamlMappingBuilder
{
    private readonly List<YamlMappingEntry> _entries = [];

    // Ordinal on the value alone: "a" and 'a' are the same key to every reader of the file, whatever their style.
    private readonly Dictionary<string, YamlScalar> _keys = new(StringComparer.Ordinal);

    /// <summary>Adds an entry; throws <see cref="YamlSubsetException"/> at the second key when it repeats one.</summary>
    public void Add(YamlScalar key, YamlNode value)
    {
        if (!_keys.TryAdd(key.Value, key))
        {
            var first = _keys[key.Value];
            throw new YamlSubsetException(key.Line, key.Column, $"duplicate key '{key.Value}' (first at line {first.Line}, column {first.Column})");
        }

        _entries.Add(new YamlMappingEntry(key, value));
    }

    /// <summary>The mapping, starting at 1-based <paramref name="line"/> and <paramref name="column"/>.</summary>
    public YamlMapping Build(int line, int column) => new(_entries, line, column);
}
