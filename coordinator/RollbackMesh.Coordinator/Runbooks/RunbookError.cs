namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>One problem found in a runbook file, with where it is.</summary>
/// <param name="Source">The file path or embedded resource name.</param>
/// <param name="Position">Line and column (1-based) of the offending node.</param>
/// <param name="Message">What is wrong, naming the key or value.</param>
internal sealed record RunbookError(string Source, SourcePosition Position, string Message)
{
    public int Line => Position.Line;

    public int Column => Position.Column;

    /// <summary><c>file:line:column: message</c>, or <c>file: message</c> for a problem of the whole file (its size, a read error).</summary>
    public override string ToString() =>
        Position == SourcePosition.None ? $"{Source}: {Message}" : $"{Source}:{Position.Line}:{Position.Column}: {Message}";
}
