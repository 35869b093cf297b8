using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Storage;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// A node reported on a step that was not dispatched to it (another node's step, or a step of no run it takes part
/// in). The update is dropped by the caller; here it is logged and audited under the reporting node's name, because a
/// node speaking for another is what a stolen or misused certificate looks like (safety invariant 4).
/// </summary>
internal static partial class ForeignStepUpdates
{
    /// <summary>The audit entry's <c>what</c>.</summary>
    public const string AuditWhat = "security.foreign-step-update";

    /// <summary>
    /// Logs and audits the refusal. Returns the audit write so tests can wait for it; callers on the agent's message
    /// loop do not wait (a failed write is logged, never thrown into the stream).
    /// </summary>
    public static Task RefuseAsync(ExecutorContext context, string node, AgentStepUpdate update) =>
        RefuseAsync(context.Store, context.Time, context.Logger, node, update);

    /// <inheritdoc cref="RefuseAsync(ExecutorContext, string, AgentStepUpdate)"/>
    public static Task RefuseAsync(CoordinatorStore store, TimeProvider time, ILogger logger, string node, AgentStepUpdate update)
    {
        Log.Refused(logger, node, update.RunId, update.StepId);
        var entry = new AuditEntry(time.GetUtcNow(), node, AuditWhat, update.RunId,
            $"update ({update.State}) for step '{update.StepId}', which is not dispatched to {node}, refused");
        return RecordAsync(store, logger, entry);
    }

    private static async Task RecordAsync(CoordinatorStore store, ILogger logger, AuditEntry entry)
    {
        try
        {
            await store.AppendAuditAsync(entry).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.AuditFailed(logger, ex, entry.Who, entry.RunId);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Refused an update from {Node} for step {StepId} of run {RunId}: not a step dispatched to that node")]
        public static partial void Refused(ILogger logger, string node, string runId, string stepId);

        [LoggerMessage(EventId = 412, Level = LogLevel.Error, Message = "Could not audit a foreign step update from {Node} (run {RunId})")]
        public static partial void AuditFailed(ILogger logger, Exception exception, string node, string runId);
    }
}
