namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// A typed runbook parameter. <see cref="Pattern"/> is a regular expression the whole value must match. A
/// <see cref="Secret"/> one (a join token, a password) is never shown: plans, errors, step output and the audit
/// carry "(secret)" in its place, and the plan hash covers only its SHA-256.
/// </summary>
internal sealed record RunbookParameter(
    string Name,
    ParameterType Type,
    bool Required,
    string? Default,
    string? Pattern,
    string Description,
    SourcePosition Position)
{
    /// <summary>Declared <c>secret: true</c>.</summary>
    public bool Secret { get; init; }
}
