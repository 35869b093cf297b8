using Microsoft.Extensions.Logging;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>The run engine's log events (driver, flow, steps, journal reconciliation).</summary>
internal static partial class RunLog
{
    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Run {RunId} stopped on an unexpected error")]
    public static partial void RunCrashed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Run {RunId}: node {Node} journal settled {Count} in-flight step(s)")]
    public static partial void Reconciled(ILogger logger, string runId, string node, int count);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Run {RunId}: step {StepId} could not be sent to {Node} (not connected); waiting for it to reconnect")]
    public static partial void SendFailed(ILogger logger, string runId, string stepId, string node);

    [LoggerMessage(EventId = 405, Level = LogLevel.Information, Message = "Run {RunId}: step {StepId} was not in {Node}'s journal after it reconnected; resent")]
    public static partial void Resent(ILogger logger, string runId, string stepId, string node);

    [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "Run {RunId}: {Node} reconnected but did not answer the journal query; its steps wait for their timeout")]
    public static partial void NoJournal(ILogger logger, string runId, string node);

    [LoggerMessage(EventId = 407, Level = LogLevel.Error, Message = "Run {RunId}: its ledger failed on a {Message}")]
    public static partial void LedgerFailed(ILogger logger, Exception exception, string runId, string message);
}
