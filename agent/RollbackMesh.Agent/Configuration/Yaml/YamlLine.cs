namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>A line that holds content (not blank, not only a comment).</summary>
/// <param name="Number">1-based line number.</param>
/// <param name="Text">The line without its line break.</param>
/// <param name="Indent">Leading spaces before the content: the block structure is read from this alone.</param>
internal readonly record struct YamlLine(int Number, string Text, int Indent);
