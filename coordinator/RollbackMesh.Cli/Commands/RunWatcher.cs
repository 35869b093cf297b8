using RollbackMesh.Cli.Output;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>
/// Follows a run over WatchRun until it ends: step transitions per phase and node as they happen, a progress line
/// while waiting, then the final state. JSON output is one RunEvent per line. Exit 0 only when the run succeeded.
/// </summary>
internal static class RunWatcher
{
    public static async Task<int> WatchAsync(CommandContext context, string runId)
    {
        var ct = context.CancellationToken;
        var output = context.Output;
        using var call = context.Operator.WatchRun(new GetRunRequest { RunId = runId }, cancellationToken: ct);
        var progress = new RunProgress();
        var line = new ProgressLine(!output.Json && CliOutput.IsInteractive, TimeProvider.System);
        RunStatus? last = null;
        while (true)
        {
            var next = call.ResponseStream.MoveNext(ct);
            while (!next.IsCompleted)
            {
                await Task.WhenAny(next, Task.Delay(line.TickInterval, ct)).ConfigureAwait(false);
                if (!next.IsCompleted && last is not null && !output.Json)
                {
                    line.Tick(RunProgress.Summary(last));
                }
            }

            if (!await next.ConfigureAwait(false))
            {
                break;
            }

            var change = call.ResponseStream.Current;
            last = change.Status;
            line.Clear();
            if (output.Json)
            {
                output.Write(change);
                continue;
            }

            foreach (var text in progress.Changes(change.Status, change.Message))
            {
                output.Line(text);
            }
        }

        line.Clear();
        var final = last is not null && RunText.IsFinished(last.State)
            ? last
            : await context.Operator.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
        if (!output.Json)
        {
            output.Line(RunText.Header(final));
            if (final.Message.Length > 0)
            {
                output.Line("  " + final.Message);
            }
        }

        return final.State == RunState.Succeeded ? CliExitCodes.Success : CliExitCodes.Failed;
    }
}
