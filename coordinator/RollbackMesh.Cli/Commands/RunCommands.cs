using System.CommandLine;
using RollbackMesh.Cli.Output;
using Grpc.Core;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>The commands that take a run id: status, watch, pause, resume, abort, approve, retry.</summary>
internal static class RunCommands
{
    public static Command Status()
    {
        var run = RunArgument();
        var command = new Command("status", "Show a run: state, current phase, every step.") { run };
        CommandRunner.SetAction(command, async context =>
        {
            var status = await context.Operator.GetRunAsync(new GetRunRequest { RunId = context.Result.GetValue(run)! }, cancellationToken: context.CancellationToken);
            Show(context.Output, status);
            return CliExitCodes.Success;
        });
        return command;
    }

    public static Command Watch()
    {
        var run = RunArgument();
        var acceptBudget = AcceptBudgetOption();
        var command = new Command("watch", "Follow a run live until it ends; exit 0 only if it succeeded.") { run, acceptBudget };
        CommandRunner.SetAction(command, context => RunWatcher.WatchAsync(context, context.Result.GetValue(run)!, context.Result.GetValue(acceptBudget)));
        return command;
    }

    public static Command Pause() => Control("pause", "Pause a run after the steps in flight finish.", (client, request, ct) => client.PauseAsync(request, cancellationToken: ct));

    public static Command Resume() => Control("resume", "Resume a paused run.", (client, request, ct) => client.ResumeAsync(request, cancellationToken: ct));

    public static Command Abort() => Control("abort", "Abort a run: cancel steps in flight, start nothing new.", (client, request, ct) => client.AbortAsync(request, cancellationToken: ct));

    public static Command Approve()
    {
        var run = RunArgument();
        var gate = new Option<string?>("--gate") { Description = "The approval gate (step id); default: the one the run awaits." };
        var command = new Command("approve", "Approve the step a run is waiting on.") { run, gate };
        CommandRunner.SetAction(command, async context =>
        {
            var runId = context.Result.GetValue(run)!;
            var gateId = context.Result.GetValue(gate);
            if (string.IsNullOrEmpty(gateId))
            {
                var current = await context.Operator.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: context.CancellationToken);
                gateId = current.AwaitingApproval.Length > 0
                    ? current.AwaitingApproval
                    : throw new CliUsageException($"run {runId} is not awaiting approval ({Format.State(current.State)}).");
            }

            var status = await context.Operator.ApproveAsync(new ApproveRequest { RunId = runId, Gate = gateId }, cancellationToken: context.CancellationToken);
            Show(context.Output, status);
            return CliExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// `retry RUN [--accept-unknown STEP]... [--force-unknown] [--watch [--accept-budget]]`: continues an ended, failed run from its failed
    /// steps. A refusal in the run's state (not ended, nothing failed, steps of unknown outcome not accepted) exits 1
    /// like the other control commands; an --accept-unknown naming no such step is bad input (2). With --watch, exit 0
    /// only if the run then succeeds (or, with --accept-budget, finishes with failed nodes within its budget).
    /// </summary>
    public static Command Retry()
    {
        var run = RunArgument();
        var acceptUnknown = new Option<string[]>("--accept-unknown")
        {
            Description = "A step (its id) whose last attempt ended with its state unknown, checked on its node and safe to run again. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var forceUnknown = new Option<bool>("--force-unknown") { Description = "Run again every step whose state is unknown (check their nodes first)." };
        var watch = new Option<bool>("--watch") { Description = "Follow the run until it ends." };
        var acceptBudget = AcceptBudgetOption();
        var command = new Command("retry", "Retry a failed run from its failed steps, with the same plan; steps that succeeded are not run again.")
        {
            run, acceptUnknown, forceUnknown, watch, acceptBudget,
        };
        CommandRunner.SetAction(command, async context =>
        {
            var request = new RetryRequest { RunId = context.Result.GetValue(run)!, ForceUnknown = context.Result.GetValue(forceUnknown) };
            request.AcceptUnknown.Add(context.Result.GetValue(acceptUnknown) ?? []);
            var status = await context.Operator.RetryAsync(request, cancellationToken: context.CancellationToken);
            if (context.Output.Json)
            {
                context.Output.Write(status);
            }
            else
            {
                context.Output.Line($"Retrying run {status.RunId} (attempt {status.Attempt}): {status.Message}");
            }

            if (!context.Result.GetValue(watch))
            {
                if (!context.Output.Json)
                {
                    context.Output.Line($"Follow it with: rollbackmesh watch {status.RunId}");
                }

                return CliExitCodes.Success;
            }

            return await RunWatcher.WatchAsync(context, status.RunId, context.Result.GetValue(acceptBudget));
        });
        return command;
    }

    private static Command Control(
        string name, string description, Func<Operator.OperatorClient, RunControlRequest, CancellationToken, AsyncUnaryCall<RunStatus>> call)
    {
        var run = RunArgument();
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit log)." };
        var command = new Command(name, description) { run, reason };
        CommandRunner.SetAction(command, async context =>
        {
            var request = new RunControlRequest { RunId = context.Result.GetValue(run)!, Reason = context.Result.GetValue(reason) ?? "" };
            var status = await call(context.Operator, request, context.CancellationToken);
            Show(context.Output, status);
            return CliExitCodes.Success;
        });
        return command;
    }

    private static void Show(CliOutput output, RunStatus status)
    {
        if (output.Json)
        {
            output.Write(status);
        }
        else
        {
            RunText.Write(output, status);
        }
    }

    /// <summary>--accept-budget, shared by watch and apply --watch.</summary>
    internal static Option<bool> AcceptBudgetOption() => new("--accept-budget")
    {
        Description = "Exit 0 also when the run finished with failed nodes within its failure budget (otherwise exit 5).",
    };

    private static Argument<string> RunArgument() => new("run") { Description = "The run id (printed by apply)." };
}
