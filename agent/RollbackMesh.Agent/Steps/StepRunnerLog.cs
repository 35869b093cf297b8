using Microsoft.Extensions.Logging;

namespace RollbackMesh.Agent.Steps;

/// <summary>Source-generated log messages of the step runner (event ids 3100-3199).</summary>
internal static partial class StepRunnerLog
{
    [LoggerMessage(3100, LogLevel.Information, "Step {Key} ({Kind}) started")]
    public static partial void StepStarted(ILogger logger, StepKey key, string kind);

    [LoggerMessage(3101, LogLevel.Information, "Step {Key} finished {State}: {Summary}")]
    public static partial void StepFinished(ILogger logger, StepKey key, string state, string summary);

    [LoggerMessage(3102, LogLevel.Warning, "Step {Key} refused: {Reason}")]
    public static partial void StepRefused(ILogger logger, StepKey key, string reason);

    [LoggerMessage(3103, LogLevel.Information, "Step {Key} was resent; returning the journaled outcome {State}")]
    public static partial void StepDeduplicated(ILogger logger, StepKey key, string state);

    [LoggerMessage(3104, LogLevel.Warning, "Step {Key} was started at {StartedAt} and never finished: state unknown")]
    public static partial void StepInterrupted(ILogger logger, StepKey key, DateTimeOffset startedAt);

    [LoggerMessage(3105, LogLevel.Error, "Step {Key} failed unexpectedly")]
    public static partial void StepCrashed(ILogger logger, StepKey key, Exception exception);
}
