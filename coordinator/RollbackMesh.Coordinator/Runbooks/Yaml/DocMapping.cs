using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Runbooks.Yaml;

/// <summary>A mapping as written, keys in order and duplicates kept (the reader reports them).</summary>
internal sealed record DocMapping(ImmutableArray<KeyValuePair<DocScalar, DocNode>> Entries, SourcePosition Position)
    : DocNode(Position)
{
    public override string Describe => "a mapping";
}
