namespace RollbackMesh.Coordinator.Runbooks.Yaml;

/// <summary>
/// A YAML node with its position. The runbook reader walks these instead of YamlDotNet's representation model
/// because that model throws on the first duplicate key, and the validator must report every problem at once.
/// </summary>
internal abstract record DocNode(SourcePosition Position)
{
    public abstract string Describe { get; }
}
