using RollbackMesh.V1;

namespace RollbackMesh.Cli.Output;

/// <summary>
/// One line per step transition and a phase heading when the run enters a phase, with a progress line while waiting
/// (a spinner on a terminal, a "still waiting" line every 15 s when redirected). Notices go to stderr. JSON output is
/// one RunEvent per line.
/// </summary>
internal sealed class PlainWatchDisplay(CliOutput output, TimeProvider time) : IWatchDisplay
{
    private readonly RunProgress _progress = new();
    private readonly ProgressLine _line = new(!output.Json && CliOutput.IsInteractive, time);

    public TimeSpan TickInterval => _line.TickInterval;

    public void Show(RunEvent change)
    {
        _line.Clear();
        if (output.Json)
        {
            output.Write(change);
            return;
        }

        foreach (var text in _progress.Changes(change.Status, change.Message))
        {
            output.Line(text);
        }
    }

    public void Tick(RunStatus last)
    {
        if (!output.Json)
        {
            _line.Tick(RunProgress.Summary(last));
        }
    }

    public void Notice(string text)
    {
        _line.Clear();
        output.Error(text);
    }

    public void Close() => _line.Clear();
}
