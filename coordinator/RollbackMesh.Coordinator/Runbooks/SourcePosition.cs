namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>Where something was written in a runbook file: 1-based line and column.</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    /// <summary>A position for values that were not read from YAML (defaults, built in code).</summary>
    public static SourcePosition None => new(0, 0);

    public override string ToString() => $"{Line}:{Column}";
}
