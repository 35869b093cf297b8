namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>A typed runbook parameter. <see cref="Pattern"/> is a regular expression the whole value must match.</summary>
internal sealed record RunbookParameter(
    string Name,
    ParameterType Type,
    bool Required,
    string? Default,
    string? Pattern,
    string Description,
    SourcePosition Position);
