namespace RollbackMesh.Cli.Output;

/// <summary>
/// The live views' bar as Spectre markup: "####xx---- 60%", done in green, failed in red (failed count as finished), and
/// the percentage written out, so the colour is never the only signal.
/// </summary>
internal static class ProgressBar
{
    public static string Markup(int done, int failed, int total, int width)
    {
        if (total == 0)
        {
            return "";
        }

        var green = done * width / total;
        var red = Math.Min(width - green, (failed * width + total - 1) / total);
        return $"[green]{new string('#', green)}[/][red]{new string('x', red)}[/]{new string('-', width - green - red)} {(done + failed) * 100 / total,3}%";
    }
}
