using RollbackMesh.V1;

namespace RollbackMesh.Cli.Output;

/// <summary>How a followed run is shown: plain lines (redirected output, logs) or a live view (a terminal).</summary>
internal interface IWatchDisplay
{
    /// <summary>How often <see cref="Tick"/> should be called while nothing arrives.</summary>
    TimeSpan TickInterval { get; }

    /// <summary>A new snapshot of the run, with the event's message.</summary>
    void Show(RunEvent change);

    /// <summary>Nothing arrived for a while: show that the wait is alive.</summary>
    void Tick(RunStatus last);

    /// <summary>A connection notice (lost, reconnecting, reconnected).</summary>
    void Notice(string text);

    /// <summary>The watch is over: leave the screen ready for the final lines.</summary>
    void Close();
}
