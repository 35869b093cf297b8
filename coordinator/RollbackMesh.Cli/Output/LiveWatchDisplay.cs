using RollbackMesh.V1;
using Spectre.Console;

namespace RollbackMesh.Cli.Output;

/// <summary>
/// The terminal's live view (<see cref="LiveRunView"/>), redrawn in place by Spectre.Console on every snapshot and
/// once a second while waiting (elapsed times move). Notices appear inside the view: writing them to the same
/// terminal's stderr would tear the redrawn region.
/// </summary>
internal sealed class LiveWatchDisplay(LiveDisplayContext context, TimeProvider time) : IWatchDisplay
{
    /// <summary>How many transition lines the view keeps under the table.</summary>
    public const int RecentLines = 6;

    private readonly RunProgress _progress = new();
    private readonly Queue<string> _recent = new();
    private RunStatus? _last;
    private string _notice = "";

    public TimeSpan TickInterval => TimeSpan.FromSeconds(1);

    public void Show(RunEvent change)
    {
        foreach (var line in _progress.Changes(change.Status, change.Message).Where(l => !l.StartsWith("==", StringComparison.Ordinal)))
        {
            _recent.Enqueue(line.Trim());
            if (_recent.Count > RecentLines)
            {
                _recent.Dequeue();
            }
        }

        _last = change.Status;
        Redraw();
    }

    public void Tick(RunStatus last)
    {
        _last = last;
        Redraw();
    }

    public void Notice(string text)
    {
        _notice = text;
        if (_last is not null)
        {
            Redraw();
        }
    }

    public void Close()
    {
        _notice = "";
        if (_last is not null)
        {
            Redraw();
        }
    }

    private void Redraw()
    {
        context.UpdateTarget(LiveRunView.Render(LiveRunView.Summarise(_last!, time.GetUtcNow(), [.. _recent], _notice)));
        context.Refresh();
    }
}
