using System.CommandLine;
using Grpc.Core;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;
using Spectre.Console;

namespace RollbackMesh.Cli.Commands;

/// <summary>
/// `rollbackmesh campaign plan|apply|status|watch|pause|resume|abort|approve`: one runbook over many clusters, canary
/// clusters first, then waves of at most --parallel clusters, stopping the line at --failure-budget failed clusters.
/// Exit codes as for runs: watch (and apply --watch) exits 0 when every cluster succeeded, 5 when it finished with
/// failed clusters within the budget (0 with --accept-budget), 1 when it failed or was aborted; bad input 2; unreachable 3.
/// </summary>
internal static class CampaignCommands
{
    public static Command Create()
    {
        var command = new Command("campaign", "Roll a runbook across many clusters: canaries first, then waves, stopping the line at the failure budget.")
        {
            Plan(), Apply(), Status(), Watch(),
            Control("pause", "Start no new cluster; cluster runs already going continue.", (c, r, ct) => c.PauseCampaignAsync(r, cancellationToken: ct)),
            Control("resume", "Resume a paused campaign.", (c, r, ct) => c.ResumeCampaignAsync(r, cancellationToken: ct)),
            Control("abort", "Abort the running cluster runs and start no other.", (c, r, ct) => c.AbortCampaignAsync(r, cancellationToken: ct)),
            Control("approve", "Pass the gate after the canary clusters (apply --approve-after-canary).", (c, r, ct) => c.ApproveCampaignAsync(r, cancellationToken: ct)),
        };
        return command;
    }

    /// <summary>The options plan and apply share, so apply is given exactly what was reviewed.</summary>
    private sealed record CampaignArguments(
        Argument<string> Runbook, Option<string[]> Parameters, Option<string[]> ParameterFiles, Option<string> Clusters, Option<string?> Selector,
        Option<int> Canary, Option<int> Parallel, Option<int> FailureBudget)
    {
        public static CampaignArguments Create() => new(
            new Argument<string>("runbook") { Description = "The runbook to run on every cluster." },
            ParameterOption.Create(),
            ParameterOption.CreateFile(),
            new Option<string>("--clusters") { Description = "Cluster names in campaign order, comma-separated (the first --canary are the canaries), or 'all' (by name).", Required = true },
            new Option<string?>("--selector") { Description = "key=value: only clusters with a node carrying this label." },
            new Option<int>("--canary") { Description = "How many clusters run first, alone; all must succeed.", DefaultValueFactory = _ => 1 },
            new Option<int>("--parallel") { Description = "At most this many clusters at once after the canaries (>= 1).", DefaultValueFactory = _ => 1 },
            new Option<int>("--failure-budget") { Description = "When this many clusters have failed, no new cluster starts (>= 1).", DefaultValueFactory = _ => 1 });

        public IEnumerable<Symbol> Symbols => [Runbook, Parameters, ParameterFiles, Clusters, Selector, Canary, Parallel, FailureBudget];

        public (string Runbook, ParameterOption.SuppliedParameters Parameters, CampaignOptions Options) Parse(ParseResult result)
        {
            var options = new CampaignOptions
            {
                Selector = result.GetValue(Selector)?.Trim() ?? "",
                Canary = NonNegative(result.GetValue(Canary), "--canary"),
                Parallel = NonNegative(result.GetValue(Parallel), "--parallel"),
                FailureBudget = NonNegative(result.GetValue(FailureBudget), "--failure-budget"),
            };
            options.Clusters.Add(result.GetValue(Clusters)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            if (options.Clusters.Count == 0)
            {
                throw new CliUsageException("--clusters names no cluster: give NAME,NAME... or all.");
            }

            return (result.GetValue(Runbook)!, ParameterOption.Parse(result.GetValue(Parameters), result.GetValue(ParameterFiles)), options);
        }

        private static uint NonNegative(int value, string option) =>
            value >= 0 ? (uint)value : throw new CliUsageException($"{option} must not be negative (got {value}).");
    }

    private static Command Plan()
    {
        var arguments = CampaignArguments.Create();
        var command = new Command("plan", "Plan a campaign: one plan per cluster, each with its hash, and the campaign hash to apply (nothing changes).");
        foreach (var symbol in arguments.Symbols)
        {
            Add(command, symbol);
        }

        CommandRunner.SetAction(command, async context =>
        {
            var (runbook, supplied, options) = arguments.Parse(context.Result);
            var request = new PlanCampaignRequest { Runbook = runbook, Options = options };
            request.Parameters.Add(supplied.Values);
            var plan = await context.Operator.PlanCampaignAsync(request, cancellationToken: context.CancellationToken);
            if (context.Output.Json)
            {
                context.Output.Write(plan);
                return CliExitCodes.Success;
            }

            context.Output.Line($"Campaign of runbook {plan.Runbook} over {plan.Clusters.Count} cluster(s): canary {plan.Options.Canary}, then {plan.Waves} wave(s) of at most {plan.Options.Parallel}; the line stops at {plan.Options.FailureBudget} failed cluster(s).");
            var table = new TextTable("WAVE", "CLUSTER", "NODES", "STEPS", "PLAN HASH");
            foreach (var cluster in plan.Clusters)
            {
                table.Add(cluster.Canary ? "canary" : cluster.Wave.ToString(System.Globalization.CultureInfo.InvariantCulture), cluster.Cluster,
                    cluster.Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture), cluster.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture), cluster.PlanHash);
            }

            context.Output.Table(table);
            context.Output.Line($"Campaign hash: {plan.CampaignHash}");
            context.Output.Line($"Each cluster's plan in full: rollbackmesh plan {plan.Runbook} --cluster NAME{supplied.ApplyArguments(plan.Parameters)}");
            var selector = plan.Options.Selector.Length > 0 ? $" --selector {plan.Options.Selector}" : "";
            context.Output.Line($"To run exactly this campaign: rollbackmesh campaign apply {plan.Runbook} --clusters {string.Join(",", plan.Options.Clusters)}{selector} " +
                $"--canary {plan.Options.Canary} --parallel {plan.Options.Parallel} --failure-budget {plan.Options.FailureBudget}{supplied.ApplyArguments(plan.Parameters)} --plan-hash {plan.CampaignHash}");
            return CliExitCodes.Success;
        }, preconditionIsBadInput: true);
        return command;
    }

    private static Command Apply()
    {
        var arguments = CampaignArguments.Create();
        var hash = new Option<string>("--plan-hash") { Description = "The campaign hash printed by `campaign plan` for the campaign you reviewed.", Required = true };
        var gate = new Option<bool>("--approve-after-canary") { Description = "Wait for `campaign approve ID` once the canary clusters succeeded." };
        var watch = new Option<bool>("--watch") { Description = "Follow the campaign until it ends." };
        var acceptBudget = AcceptBudgetOption();
        var command = new Command("apply", "Run a reviewed campaign.") { hash, gate, watch, acceptBudget };
        foreach (var symbol in arguments.Symbols)
        {
            Add(command, symbol);
        }

        CommandRunner.SetAction(command, async context =>
        {
            var (runbook, supplied, options) = arguments.Parse(context.Result);
            var request = new StartCampaignRequest
            {
                Runbook = runbook, Options = options, CampaignHash = context.Result.GetValue(hash)!, ApproveAfterCanary = context.Result.GetValue(gate),
            };
            request.Parameters.Add(supplied.Values);
            var status = await context.Operator.StartCampaignAsync(request, cancellationToken: context.CancellationToken);
            if (context.Output.Json)
            {
                context.Output.Write(status);
            }
            else
            {
                context.Output.Line($"Started campaign {status.CampaignId} ({status.Runbook}, {status.Clusters.Count} cluster(s), campaign {status.CampaignHash}).");
            }

            if (!context.Result.GetValue(watch))
            {
                if (!context.Output.Json)
                {
                    context.Output.Line($"Follow it with: rollbackmesh campaign watch {status.CampaignId}");
                }

                return CliExitCodes.Success;
            }

            return await WatchAsync(context, status.CampaignId, context.Result.GetValue(acceptBudget));
        }, preconditionIsBadInput: true);
        return command;
    }

    private static Command Status()
    {
        var id = CampaignArgument();
        var command = new Command("status", "Show a campaign: state, counts, every cluster.") { id };
        CommandRunner.SetAction(command, async context =>
        {
            var status = await context.Operator.GetCampaignAsync(new GetCampaignRequest { CampaignId = context.Result.GetValue(id)! }, cancellationToken: context.CancellationToken);
            Show(context.Output, status);
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command Watch()
    {
        var id = CampaignArgument();
        var acceptBudget = AcceptBudgetOption();
        var command = new Command("watch", "Follow a campaign until it ends; exit 0 only if every cluster succeeded.") { id, acceptBudget };
        CommandRunner.SetAction(command, context => WatchAsync(context, context.Result.GetValue(id)!, context.Result.GetValue(acceptBudget)));
        return command;
    }

    private static Command Control(
        string name, string description, Func<Operator.OperatorClient, CampaignControlRequest, CancellationToken, AsyncUnaryCall<CampaignStatus>> call)
    {
        var id = CampaignArgument();
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit log)." };
        var command = new Command(name, description) { id, reason };
        CommandRunner.SetAction(command, async context =>
        {
            var request = new CampaignControlRequest { CampaignId = context.Result.GetValue(id)!, Reason = context.Result.GetValue(reason) ?? "" };
            Show(context.Output, await call(context.Operator, request, context.CancellationToken));
            return CliExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Prints a line for every cluster whose state changed and for every new campaign message (JSON: one
    /// CampaignEvent per line; on a terminal a live view, <see cref="LiveCampaignView"/>), then the final state; the exit
    /// code follows the campaign's end state. A stream that breaks after it was open (the coordinator restarted) is
    /// opened again (<see cref="FollowAsync"/>).
    /// </summary>
    /// <param name="live">False keeps plain lines even on a terminal (the demo prints its approvals between them).</param>
    internal static async Task<int> WatchAsync(CommandContext context, string campaignId, bool acceptBudget, bool live = true)
    {
        var output = context.Output;
        CampaignStatus? last;
        if (live && !output.Json && CliOutput.IsInteractive)
        {
            // A terminal: one view redrawn in place, whose height follows the waves, not the clusters.
            var recent = new Queue<string>();
            var seen = new Dictionary<string, (RunState State, string RunId)>(StringComparer.Ordinal);
            CampaignStatus? previous = null;
            last = null;
            await AnsiConsole.Live(new Text($"following campaign {campaignId} ...")).AutoClear(false).Overflow(VerticalOverflow.Ellipsis)
                .StartAsync(async live => last = await FollowAsync(context, campaignId, change =>
                {
                    foreach (var line in CampaignText.Changes(previous, change.Status, seen).Where(l => !l.Contains(" pending of ", StringComparison.Ordinal)))
                    {
                        recent.Enqueue($"{change.At.ToDateTimeOffset():HH:mm:ss} {line.Trim()}");
                        if (recent.Count > 6)
                        {
                            recent.Dequeue();
                        }
                    }

                    previous = change.Status;
                    live.UpdateTarget(LiveCampaignView.Render(change.Status, recent));
                }, notice => recent.Enqueue(notice)).ConfigureAwait(false)).ConfigureAwait(false);
        }
        else
        {
            var seen = new Dictionary<string, (RunState State, string RunId)>(StringComparer.Ordinal);
            CampaignStatus? previous = null;
            last = await FollowAsync(context, campaignId, change =>
            {
                if (output.Json)
                {
                    output.Write(change);
                    return;
                }

                foreach (var line in CampaignText.Changes(previous, change.Status, seen))
                {
                    output.Line($"{change.At.ToDateTimeOffset():HH:mm:ss} {line}");
                }

                previous = change.Status;
            }, output.Error).ConfigureAwait(false);
        }

        var final = last is not null && RunText.IsFinished(last.State)
            ? last
            : await context.Operator.GetCampaignAsync(new GetCampaignRequest { CampaignId = campaignId }, cancellationToken: context.CancellationToken).ResponseAsync.ConfigureAwait(false);
        if (!output.Json)
        {
            output.Line(CampaignText.Header(final));
            output.Line("  " + final.Message);
        }

        if (final.State == RunState.SucceededWithFailures && !acceptBudget)
        {
            output.Error("the campaign finished with failed clusters (within its failure budget); --accept-budget accepts that as success");
            return CliExitCodes.FinishedWithFailures;
        }

        return final.State is RunState.Succeeded or RunState.SucceededWithFailures ? CliExitCodes.Success : CliExitCodes.Failed;
    }

    /// <summary>
    /// Follows the campaign until its stream ends, reconnecting a stream that broke after it was open (a restarted
    /// coordinator) with a bounded backoff for up to <see cref="RunWatcher.ReconnectFor"/>; returns the last status.
    /// </summary>
    private static async Task<CampaignStatus?> FollowAsync(CommandContext context, string campaignId, Action<CampaignEvent> show, Action<string> notice)
    {
        var ct = context.CancellationToken;
        CampaignStatus? last = null;
        var reconnect = new WatchReconnect("campaign " + campaignId, notice);
        while (true)
        {
            try
            {
                using var call = context.Operator.WatchCampaign(new GetCampaignRequest { CampaignId = campaignId }, cancellationToken: ct);
                await foreach (var change in call.ResponseStream.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    reconnect.Received();
                    show(change);
                    last = change.Status;
                }

                return last;
            }
            catch (RpcException ex) when (WatchReconnect.Retries(ex, last is not null, ct))
            {
                if (!await reconnect.WaitToRetryAsync(ex, ct).ConfigureAwait(false))
                {
                    throw;
                }
            }
        }
    }

    private static void Show(CliOutput output, CampaignStatus status)
    {
        if (output.Json)
        {
            output.Write(status);
        }
        else
        {
            CampaignText.Write(output, status);
        }
    }

    private static void Add(Command command, Symbol symbol)
    {
        switch (symbol)
        {
            case Argument argument:
                command.Arguments.Add(argument);
                break;
            case Option option:
                command.Options.Add(option);
                break;
        }
    }

    private static Option<bool> AcceptBudgetOption() => new("--accept-budget")
    {
        Description = "Exit 0 also when the campaign finished with failed clusters within its failure budget (otherwise exit 5).",
    };

    private static Argument<string> CampaignArgument() => new("campaign") { Description = "The campaign id (printed by campaign apply)." };
}
