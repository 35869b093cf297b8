using Google.Protobuf.WellKnownTypes;
using RollbackMesh.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RollbackMesh.Cli.Output;

/// <summary>
/// What a terminal shows while a run is followed: one row per phase with counts and a bar, the failing nodes by name,
/// the steps that have been running for a while (with their elapsed time) and the latest transitions. Its height does
/// not grow with the run: a 10,000-node run fits on one screen, and the failing nodes come first because they are what
/// the operator must act on. Colour is never the only signal: every count carries its word.
/// </summary>
internal static class LiveRunView
{
    /// <summary>Failing nodes listed by name; the rest are counted.</summary>
    public const int FailingShown = 8;

    /// <summary>Long-running steps listed; the rest are counted.</summary>
    public const int LongRunningShown = 5;

    /// <summary>A step running longer than this is shown with its elapsed time (a wait worth watching).</summary>
    public static readonly TimeSpan LongRunningAfter = TimeSpan.FromSeconds(10);

    private const int BarWidth = 10;

    /// <summary>The counts of one phase.</summary>
    public sealed record PhaseCounts(string Phase, int Nodes, int Steps, int Done, int Active, int Waiting, int Failed)
    {
        public bool Finished => Done + Failed == Steps;
    }

    /// <summary>A step worth naming: a failed one, or one that has run for <see cref="Elapsed"/>.</summary>
    public sealed record NamedStep(string Node, string Phase, string Step, StepState State, string Detail, TimeSpan Elapsed);

    /// <summary>Everything the view shows, computed once per snapshot.</summary>
    public sealed record Model(
        RunStatus Run, IReadOnlyList<PhaseCounts> Phases, IReadOnlyList<NamedStep> Failing, int FailingNodes,
        IReadOnlyList<NamedStep> LongRunning, int LongRunningCount, TimeSpan Elapsed, IReadOnlyList<string> Recent, string Notice);

    /// <summary>Summarises <paramref name="run"/> at <paramref name="now"/>; <paramref name="recent"/> are the latest transition lines.</summary>
    public static Model Summarise(RunStatus run, DateTimeOffset now, IReadOnlyList<string> recent, string notice = "")
    {
        var phases = run.Steps.GroupBy(s => s.Phase, StringComparer.Ordinal).Select(g => new PhaseCounts(
            g.Key,
            g.Select(s => s.Node).Distinct(StringComparer.Ordinal).Count(),
            g.Count(),
            g.Count(s => IsDone(s.State)),
            g.Count(s => s.State is StepState.Dispatched or StepState.Running),
            g.Count(s => s.State is StepState.Pending or StepState.Unspecified),
            g.Count(s => IsFailed(s.State)))).ToList();

        var failedSteps = run.Steps.Where(s => IsFailed(s.State)).ToList();
        var failing = failedSteps.GroupBy(s => s.Node, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(s => s.Node, StringComparer.Ordinal).ToList();
        var running = run.Steps.Where(s => s.State is StepState.Running or StepState.Dispatched)
            .Select(s => (Step: s, Elapsed: ElapsedSince(s.UpdatedAt, now)))
            .Where(x => x.Elapsed >= LongRunningAfter)
            .OrderByDescending(x => x.Elapsed).ThenBy(x => x.Step.Node, StringComparer.Ordinal).ToList();

        return new Model(
            run, phases,
            [.. failing.Take(FailingShown).Select(s => Named(s, TimeSpan.Zero))], failing.Count,
            [.. running.Take(LongRunningShown).Select(x => Named(x.Step, x.Elapsed))], running.Count,
            ElapsedSince(run.StartedAt, run.FinishedAt?.ToDateTimeOffset() ?? now), recent, notice);
    }

    /// <summary>The view of <paramref name="model"/>.</summary>
    public static IRenderable Render(Model model)
    {
        var run = model.Run;
        var rows = new List<IRenderable>
        {
            new Markup($"[bold]Run {Markup.Escape(run.RunId)}[/] ({Markup.Escape(run.Runbook)}): {StateMarkup(run.State)}, " +
                $"phase {Markup.Escape(run.CurrentPhase.Length == 0 ? "-" : run.CurrentPhase)}, {Duration(model.Elapsed)} elapsed"),
        };

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("Phase").NoWrap()).AddColumn(new TableColumn("Nodes").RightAligned()).AddColumn("Progress")
            .AddColumn("Done").AddColumn("Running").AddColumn("Waiting").AddColumn("Failed");
        foreach (var phase in model.Phases)
        {
            var current = string.Equals(phase.Phase, run.CurrentPhase, StringComparison.Ordinal);
            table.AddRow(
                new Markup((current ? "[bold]> " : "  ") + Markup.Escape(phase.Phase) + (current ? "[/]" : "")),
                new Text(phase.Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Markup(ProgressBar.Markup(phase.Done, phase.Failed, phase.Steps, BarWidth)),
                new Text($"{phase.Done} done"),
                new Text($"{phase.Active} running"),
                new Text($"{phase.Waiting} waiting"),
                new Markup(phase.Failed > 0 ? $"[red]{phase.Failed} failed[/]" : "0 failed"));
        }

        rows.Add(table);
        if (model.FailingNodes > 0)
        {
            rows.Add(new Markup($"[red bold]Failing nodes ({model.FailingNodes}):[/]"));
            rows.AddRange(model.Failing.Select(f => new Markup(
                $"  [red]{Markup.Escape(f.Node)}[/]: {Markup.Escape(f.Step)} {Markup.Escape(Format.State(f.State))}{Detail(f.Detail)} [dim]({Markup.Escape(f.Phase)})[/]")));
            if (model.FailingNodes > model.Failing.Count)
            {
                rows.Add(new Text($"  and {model.FailingNodes - model.Failing.Count} more failing nodes (rollbackmesh status {run.RunId} lists every step)"));
            }
        }

        if (model.LongRunningCount > 0)
        {
            rows.Add(new Markup($"[bold]Running for a while ({model.LongRunningCount}):[/]"));
            rows.AddRange(model.LongRunning.Select(l => new Markup(
                $"  {Markup.Escape(l.Node)}: {Markup.Escape(l.Step)} {Markup.Escape(Format.State(l.State))} for {Duration(l.Elapsed)}")));
            if (model.LongRunningCount > model.LongRunning.Count)
            {
                rows.Add(new Text($"  and {model.LongRunningCount - model.LongRunning.Count} more"));
            }
        }

        if (run.AwaitingApproval.Length > 0)
        {
            rows.Add(new Markup($"[yellow]Awaiting approval of {Markup.Escape(run.AwaitingApproval)}[/]: rollbackmesh approve {Markup.Escape(run.RunId)} --gate {Markup.Escape(run.AwaitingApproval)}"));
        }
        else if (run.Message.Length > 0)
        {
            rows.Add(new Text(run.Message));
        }

        if (model.Recent.Count > 0)
        {
            rows.Add(new Markup("[dim]Latest:[/]"));
            rows.AddRange(model.Recent.Select(r => new Text(r)));
        }

        if (model.Notice.Length > 0)
        {
            rows.Add(new Markup($"[yellow]{Markup.Escape(model.Notice)}[/]"));
        }

        return new Rows(rows);
    }

    private static NamedStep Named(StepStatus s, TimeSpan elapsed) => new(s.Node, s.Phase, s.Name, s.State, RunText.Detail(s), elapsed);

    private static string Detail(string detail) => detail.Length == 0 ? "" : " — " + Markup.Escape(detail.Length > 120 ? detail[..117] + "..." : detail);

    private static bool IsDone(StepState state) => state is StepState.Succeeded or StepState.Skipped;

    private static bool IsFailed(StepState state) => state is StepState.Failed or StepState.TimedOut or StepState.Refused or StepState.Cancelled;

    private static TimeSpan ElapsedSince(Timestamp? at, DateTimeOffset now) =>
        at is null ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, (now - at.ToDateTimeOffset()).Ticks));

    private static string StateMarkup(RunState state)
    {
        var word = Markup.Escape(Format.State(state));
        return state switch
        {
            RunState.Succeeded => $"[green]{word}[/]",
            RunState.Failed or RunState.Aborted or RunState.SucceededWithFailures => $"[red]{word}[/]",
            RunState.Paused or RunState.AwaitingApproval => $"[yellow]{word}[/]",
            _ => word,
        };
    }

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:D2}m" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:D2}s" : $"{(int)span.TotalSeconds}s";
}
