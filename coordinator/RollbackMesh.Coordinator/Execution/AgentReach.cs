namespace RollbackMesh.Coordinator.Execution;

/// <summary>Waiting for a node's stream and best-effort sends: what the run's flow needs from the link.</summary>
internal static class AgentReach
{
    private static readonly TimeSpan ConnectedPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits up to <see cref="ExecutorOptions.ReconnectTimeout"/> for the node's stream; false when it never came (or the node was removed).</summary>
    public static Task<bool> WaitForNodeAsync(ExecutorContext context, string node, CancellationToken ct) =>
        WaitForNodeAsync(context, node, context.Time.GetUtcNow() + context.Options.ReconnectTimeout, ct);

    public static async Task<bool> WaitForNodeAsync(ExecutorContext context, string node, DateTimeOffset giveUp, CancellationToken ct)
    {
        while (!context.Link.IsConnected(node))
        {
            if (context.Time.GetUtcNow() >= giveUp || context.Link.IsRemoved(node))
            {
                return false;
            }

            await Task.Delay(ConnectedPoll, context.Time, ct).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Sends when the node is connected; the agent enforces a step's deadline itself, so a lost cancel is harmless.</summary>
    public static async Task TrySendAsync(ExecutorContext context, string node, V1.CoordinatorMessage message)
    {
        try
        {
            await context.Link.SendAsync(node, message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AgentUnavailableException)
        {
            // Best effort.
        }
    }
}
