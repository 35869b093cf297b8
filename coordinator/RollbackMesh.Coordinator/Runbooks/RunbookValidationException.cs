using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>Thrown when one or more runbooks are invalid; carries every problem found, not just the first.</summary>
internal sealed class RunbookValidationException : Exception
{
    public RunbookValidationException(ImmutableArray<RunbookError> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem, in file and line order.</summary>
    public ImmutableArray<RunbookError> Errors { get; }

    private static string FormatMessage(ImmutableArray<RunbookError> errors) =>
        $"{errors.Length} runbook error(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors);
}
