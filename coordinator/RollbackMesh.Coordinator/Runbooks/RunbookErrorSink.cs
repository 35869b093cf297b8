using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>Collects every problem of one runbook file; readers and the validator keep going after each one.</summary>
internal sealed class RunbookErrorSink(string source)
{
    private readonly List<RunbookError> _errors = [];

    public string Source { get; } = source;

    public bool HasErrors => _errors.Count > 0;

    public void Add(SourcePosition position, string message) => _errors.Add(new RunbookError(Source, position, message));

    /// <summary>The problems sorted by line then column, so output reads top to bottom.</summary>
    public ImmutableArray<RunbookError> ToImmutable() =>
        [.. _errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
}
