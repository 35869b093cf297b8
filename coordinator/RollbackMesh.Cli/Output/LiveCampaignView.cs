using System.Globalization;
using RollbackMesh.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RollbackMesh.Cli.Output;

/// <summary>
/// What `campaign watch` shows on a terminal, redrawn in place: one row per wave (canary first) with its clusters
/// counted and a bar, the failing clusters by name, the running ones, the campaign's message and the latest changes.
/// Its height depends on the number of waves, not of clusters, beyond the few names it lists.
/// </summary>
internal static class LiveCampaignView
{
    /// <summary>How many failing (and running) clusters are named.</summary>
    public const int NamesShown = 8;

    private const int BarWidth = 20;

    public static IRenderable Render(CampaignStatus campaign, IReadOnlyCollection<string> recent)
    {
        var rows = new List<IRenderable>
        {
            new Markup($"[bold]Campaign {Markup.Escape(campaign.CampaignId)}[/] ({Markup.Escape(campaign.Runbook)}): {Markup.Escape(Format.State(campaign.State))} — " +
                Markup.Escape(CampaignText.Counts(campaign))),
        };
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("Wave").NoWrap()).AddColumn(new TableColumn("Clusters").RightAligned()).AddColumn("Progress")
            .AddColumn("Done").AddColumn("Running").AddColumn("Waiting").AddColumn("Failed");
        foreach (var wave in campaign.Clusters.GroupBy(c => c.Canary ? -1 : (int)c.Wave).OrderBy(g => g.Key))
        {
            var clusters = wave.ToList();
            var done = clusters.Count(c => c.State is RunState.Succeeded or RunState.SucceededWithFailures);
            var failed = clusters.Count(c => c.State is RunState.Failed or RunState.Aborted);
            var waiting = clusters.Count(c => c.State == RunState.Pending);
            var running = clusters.Count - done - failed - waiting;
            var current = running > 0;
            var name = wave.Key < 0 ? "canary" : "wave " + wave.Key.ToString(CultureInfo.InvariantCulture);
            table.AddRow(
                new Markup((current ? "[bold]> " : "  ") + name + (current ? "[/]" : "")),
                new Text(clusters.Count.ToString(CultureInfo.InvariantCulture)),
                new Markup(ProgressBar.Markup(done, failed, clusters.Count, BarWidth)),
                new Text($"{done} done"),
                new Text($"{running} running"),
                new Text($"{waiting} waiting"),
                new Markup(failed > 0 ? $"[red]{failed} failed[/]" : "0 failed"));
        }

        rows.Add(table);
        Names(rows, "[red bold]Failing clusters", campaign.Clusters.Where(c => c.State is RunState.Failed or RunState.Aborted).ToList(), withMessage: true);
        Names(rows, "[bold]Running", campaign.Clusters.Where(c => c.State is not (RunState.Pending or RunState.Succeeded or RunState.SucceededWithFailures or RunState.Failed or RunState.Aborted)).ToList(), withMessage: false);
        if (campaign.Message.Length > 0)
        {
            rows.Add(new Text(campaign.Message));
        }

        if (recent.Count > 0)
        {
            rows.Add(new Markup("[dim]Latest:[/]"));
            rows.AddRange(recent.Select(r => new Text(r)));
        }

        return new Rows(rows);
    }

    private static void Names(List<IRenderable> rows, string title, IReadOnlyList<CampaignClusterStatus> clusters, bool withMessage)
    {
        if (clusters.Count == 0)
        {
            return;
        }

        rows.Add(new Markup($"{title} ({clusters.Count}):[/]"));
        rows.AddRange(clusters.Take(NamesShown).Select(c => new Markup(
            $"  {Markup.Escape(c.Cluster)}: {Markup.Escape(Format.State(c.State))}" +
            (c.RunId.Length > 0 ? $" [dim](rollbackmesh watch {Markup.Escape(c.RunId)})[/]" : "") +
            (withMessage && c.Message.Length > 0 ? " — " + Markup.Escape(c.Message.Length > 100 ? c.Message[..97] + "..." : c.Message) : ""))));
        if (clusters.Count > NamesShown)
        {
            rows.Add(new Text($"  and {clusters.Count - NamesShown} more"));
        }
    }
}
