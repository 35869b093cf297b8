namespace RollbackMesh.Agent.Configuration.Yaml;

/// <summary>A node of the document <see cref="YamlSubsetReader"/> read: a scalar, a sequence or a mapping.</summary>
/// <param name="Line">1-based line where the node starts (for a sequence, its first '-' or '[').</param>
/// <param name="Column">1-based column where the node starts.</param>
internal abstract record YamlNode(int Line, int Column);
