using Grpc.Core;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;
using Spectre.Console;

namespace RollbackMesh.Cli.Commands;

/// <summary>
/// Follows a run over WatchRun until it ends, then prints the final state. On a terminal it shows a live view (phases
/// with counts and bars, failing nodes by name, long waits); redirected, step transitions per phase and node as plain
/// lines with a "still waiting" line now and then; JSON output is one RunEvent per line. The run lives in the
/// coordinator, not in this stream: when the stream breaks after it was open (the coordinator restarted), the watch
/// says "reconnecting" and opens it again with a bounded backoff, for up to <see cref="ReconnectFor"/>. Exit 0 when the run
/// succeeded, and when it finished with failed nodes within the budget only if the operator accepted that.
/// </summary>
internal static class RunWatcher
{
    /// <summary>How long a broken watch keeps trying to reach the coordinator again before it exits unreachable (3).</summary>
    public static readonly TimeSpan ReconnectFor = TimeSpan.FromMinutes(2);

    public static async Task<int> WatchAsync(CommandContext context, string runId, bool acceptBudget)
    {
        var output = context.Output;
        RunStatus? last = null;
        if (!output.Json && CliOutput.IsInteractive)
        {
            // A terminal: one view redrawn in place, whose height does not grow with the run (issue 14 item 5).
            await AnsiConsole.Live(new Text($"following run {runId} ...")).AutoClear(false).Overflow(VerticalOverflow.Ellipsis)
                .StartAsync(async live => last = await FollowAsync(context, runId, new LiveWatchDisplay(live, TimeProvider.System)).ConfigureAwait(false))
                .ConfigureAwait(false);
        }
        else
        {
            last = await FollowAsync(context, runId, new PlainWatchDisplay(output, TimeProvider.System)).ConfigureAwait(false);
        }

        var final = last is not null && RunText.IsFinished(last.State)
            ? last
            : await context.Operator.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: context.CancellationToken).ResponseAsync.ConfigureAwait(false);
        if (!output.Json)
        {
            output.Line(RunText.Header(final));
            if (final.Message.Length > 0)
            {
                output.Line("  " + final.Message);
            }
        }

        return ExitCodeFor(final.State, acceptBudget, output);
    }

    /// <summary>Follows the run until its stream ends, reconnecting a stream that broke; returns the last snapshot.</summary>
    private static async Task<RunStatus?> FollowAsync(CommandContext context, string runId, IWatchDisplay display)
    {
        var ct = context.CancellationToken;
        RunStatus? last = null;
        var reconnect = new WatchReconnect("run " + runId, display.Notice);
        while (true)
        {
            try
            {
                using var call = context.Operator.WatchRun(new GetRunRequest { RunId = runId }, cancellationToken: ct);
                while (true)
                {
                    var next = call.ResponseStream.MoveNext(ct);
                    while (!next.IsCompleted)
                    {
                        await Task.WhenAny(next, Task.Delay(display.TickInterval, ct)).ConfigureAwait(false);
                        if (!next.IsCompleted && last is not null)
                        {
                            display.Tick(last);
                        }
                    }

                    if (!await next.ConfigureAwait(false))
                    {
                        break;
                    }

                    reconnect.Received();
                    var change = call.ResponseStream.Current;
                    last = change.Status;
                    display.Show(change);
                }

                break;
            }
            catch (RpcException ex) when (WatchReconnect.Retries(ex, last is not null, ct))
            {
                if (!await reconnect.WaitToRetryAsync(ex, ct).ConfigureAwait(false))
                {
                    display.Close();
                    throw;
                }
            }
        }

        display.Close();
        return last;
    }

    /// <summary>The exit code of a finished watch: 0 succeeded; 5 finished with failed nodes unless accepted; else 1.</summary>
    internal static int ExitCodeFor(RunState state, bool acceptBudget, CliOutput output)
    {
        switch (state)
        {
            case RunState.Succeeded:
                return CliExitCodes.Success;
            case RunState.SucceededWithFailures when acceptBudget:
                return CliExitCodes.Success;
            case RunState.SucceededWithFailures:
                output.Error("the run finished with failed nodes (within its failure budget); --accept-budget accepts that as success");
                return CliExitCodes.FinishedWithFailures;
            default:
                return CliExitCodes.Failed;
        }
    }
}
