using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// A loaded, validated runbook: a documented procedure (<see cref="Procedure"/>, a seed file name) as typed,
/// parameterised phases. Documented steps that are not automated are listed in <see cref="Unmapped"/> with a reason.
/// </summary>
/// <param name="FirstServerParameter">Optional name of a parameter whose value picks the first server: a node
/// name, or <c>label=value</c> matching exactly one server. Without it the node with role <c>first-server</c> is used.</param>
/// <param name="SourceName">The file path or embedded resource it came from.</param>
internal sealed record Runbook(
    string Name,
    string Version,
    string Procedure,
    string Description,
    ImmutableArray<RunbookParameter> Parameters,
    string? FirstServerParameter,
    ImmutableArray<RunbookStep> Preflight,
    ImmutableArray<RunbookPhase> Phases,
    ImmutableArray<UnmappedStep> Unmapped,
    ImmutableArray<string> Notes,
    string SourceName,
    bool BuiltIn);
