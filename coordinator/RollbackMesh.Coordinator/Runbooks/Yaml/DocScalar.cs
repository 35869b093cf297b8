namespace RollbackMesh.Coordinator.Runbooks.Yaml;

/// <summary>A scalar; <see cref="IsPlainNull"/> is an unquoted <c>~</c>, <c>null</c> or empty value.</summary>
internal sealed record DocScalar(string Value, bool IsPlainNull, SourcePosition Position) : DocNode(Position)
{
    public override string Describe => "a scalar";
}
