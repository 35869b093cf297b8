using Microsoft.Extensions.Logging;

namespace RollbackMesh.Agent.Connection;

/// <summary>Log messages of the coordinator connection (event ids 100-199).</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(100, LogLevel.Debug, "Connecting to the coordinator at {Address}")]
    public static partial void Connecting(ILogger logger, string address);

    [LoggerMessage(101, LogLevel.Information, "Connected to the coordinator at {Address}")]
    public static partial void Connected(ILogger logger, string address);

    [LoggerMessage(102, LogLevel.Warning, "Not connected to {Address}: {Reason}; retrying in {DelaySeconds:0.0} s")]
    public static partial void Disconnected(ILogger logger, string address, string reason, double delaySeconds);

    [LoggerMessage(103, LogLevel.Debug, "Coordinator {CoordinatorVersion} acknowledged Hello")]
    public static partial void HelloAcknowledged(ILogger logger, string coordinatorVersion);

    [LoggerMessage(104, LogLevel.Warning, "Ignoring an unknown message from the coordinator ({Body})")]
    public static partial void UnknownMessage(ILogger logger, string body);

    [LoggerMessage(110, LogLevel.Information, "Starting step {RunId}/{StepId} ({ActionKind})")]
    public static partial void StepStarting(ILogger logger, string runId, string stepId, string actionKind);

    [LoggerMessage(111, LogLevel.Information, "Step {RunId}/{StepId} is already running; not starting it twice")]
    public static partial void StepAlreadyRunning(ILogger logger, string runId, string stepId);

    [LoggerMessage(112, LogLevel.Information, "Cancelling step {RunId}/{StepId}")]
    public static partial void StepCancelling(ILogger logger, string runId, string stepId);

    [LoggerMessage(113, LogLevel.Error, "Step {RunId}/{StepId} failed inside the step runner")]
    public static partial void StepCrashed(ILogger logger, string runId, string stepId, Exception exception);

    [LoggerMessage(114, LogLevel.Warning, "Could not read the step journal's recent outcomes; connecting without them")]
    public static partial void JournalUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(106, LogLevel.Critical, "The coordinator at {Address} refused this node ({Reason}); not retrying, the agent exits with code 1. If the node was removed, delete its certificate and enroll it again with a new join token")]
    public static partial void Refused(ILogger logger, string address, string reason);

    [LoggerMessage(105, LogLevel.Critical, "The connection loop failed; the agent exits")]
    public static partial void Fatal(ILogger logger, Exception exception);
}
