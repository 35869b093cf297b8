namespace RollbackMesh.Cli.Output;

/// <summary>
/// Shows that a long wait is alive. On a terminal: a spinner line redrawn in place (and erased before other output).
/// Redirected: a plain "still waiting" line at most every <see cref="QuietInterval"/>, so logs do not fill with frames.
/// </summary>
internal sealed class ProgressLine(bool interactive, TimeProvider time)
{
    /// <summary>How often a redirected output gets a progress line while nothing else happens.</summary>
    public static readonly TimeSpan QuietInterval = TimeSpan.FromSeconds(15);

    private static readonly char[] Frames = ['|', '/', '-', '\\'];
    private int _frame;
    private bool _drawn;
    private DateTimeOffset _lastOutput = time.GetUtcNow();

    /// <summary>How often <see cref="Tick"/> should be called.</summary>
    public TimeSpan TickInterval => interactive ? TimeSpan.FromMilliseconds(125) : TimeSpan.FromSeconds(1);

    public void Tick(string text)
    {
        if (interactive)
        {
            var width = Console.WindowWidth > 10 ? Console.WindowWidth - 1 : 119;
            var line = $"{Frames[_frame++ % Frames.Length]} {text}";
            Console.Out.Write("\r\u001b[K" + (line.Length > width ? line[..width] : line));
            _drawn = true;
            return;
        }

        var now = time.GetUtcNow();
        if (now - _lastOutput >= QuietInterval)
        {
            Console.Out.WriteLine("... " + text);
            _lastOutput = now;
        }
    }

    /// <summary>Erases the spinner (terminal) and notes that output happened (redirected).</summary>
    public void Clear()
    {
        _lastOutput = time.GetUtcNow();
        if (_drawn)
        {
            Console.Out.Write("\r\u001b[K");
            _drawn = false;
        }
    }
}
