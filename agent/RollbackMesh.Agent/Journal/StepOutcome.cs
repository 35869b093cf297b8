namespace RollbackMesh.Agent.Journal;

/// <summary>The recorded result of one step.</summary>
internal sealed record StepOutcome
{
    /// <summary>Terminal status.</summary>
    public required StepStatus Status { get; init; }

    /// <summary>One line for humans.</summary>
    public string Summary { get; init; } = string.Empty;

    /// <summary>Why it failed, empty on success.</summary>
    public string Error { get; init; } = string.Empty;

    /// <summary>The dry-run description (diff, transaction) when one was produced.</summary>
    public string DryRun { get; init; } = string.Empty;

    /// <summary>True when the step found its work already done.</summary>
    public bool AlreadyDone { get; init; }

    /// <summary>True when the post-condition check passed.</summary>
    public bool Verified { get; init; }

    /// <summary>When the step started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the step finished.</summary>
    public DateTimeOffset FinishedAt { get; init; }
}
