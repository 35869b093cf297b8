using RollbackMesh.Agent.Actions.Filesystem;
using RollbackMesh.Agent.Actions.Services;
using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions;

/// <summary>What an action may use while it runs. One per step run.</summary>
internal sealed record ActionContext
{
    /// <summary>Tool locations and directories.</summary>
    public required AgentActionOptions Options { get; init; }

    /// <summary>Runs allow-listed tools without a shell.</summary>
    public required ToolRunner Tools { get; init; }

    /// <summary>Backups and quarantine (nothing is ever deleted).</summary>
    public required Quarantine Quarantine { get; init; }

    /// <summary>Controls systemd units; null when no service manager is configured.</summary>
    public IServiceController? Services { get; init; }

    /// <summary>Receives output lines as they are produced.</summary>
    public Action<string> Output { get; init; } = static _ => { };

    /// <summary>Clock for timestamps and waits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The step's deadline from the coordinator, or null when it set none. Waits that carry a timeout of their own (a
    /// systemd job) wait for what is left of it, so a runbook's step timeout is the limit, not an agent default.
    /// </summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>What is left of <see cref="Deadline"/> (never negative), or <paramref name="fallback"/> without one.</summary>
    public TimeSpan RemainingOr(TimeSpan fallback) =>
        Deadline is { } due ? TimeSpan.FromTicks(Math.Max(0, (due - Time.GetUtcNow()).Ticks)) : fallback;

    /// <summary>Runs a tool, streaming its lines to <see cref="Output"/>.</summary>
    public Task<ToolResult> RunAsync(ToolInvocation invocation, CancellationToken cancellationToken) =>
        Tools.RunAsync(invocation, Output, cancellationToken);

    /// <summary>Runs a tool quietly (read-only queries whose output is parsed, not shown).</summary>
    public Task<ToolResult> QueryAsync(ToolInvocation invocation, CancellationToken cancellationToken) =>
        Tools.RunAsync(invocation, null, cancellationToken);

    /// <summary>Runs a tool and throws <see cref="ActionFailedException"/> on a non-zero exit.</summary>
    public async Task<ToolResult> RunCheckedAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var result = await RunAsync(invocation, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ActionFailedException(
                $"{invocation.CommandLine} exited {result.ExitCode}: {Tail(result.CombinedOutput)}");
        }

        return result;
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : "..." + text[^2000..];
}
