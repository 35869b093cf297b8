using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Runbooks.Yaml;

internal sealed record DocSequence(ImmutableArray<DocNode> Items, SourcePosition Position) : DocNode(Position)
{
    public override string Describe => "a list";
}
