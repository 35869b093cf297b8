using RollbackMesh.V1;

namespace RollbackMesh.Agent.Health;

/// <summary>Remembers the last step state seen on the way out, and signals a change so a health report goes early.</summary>
internal sealed class LastStepTracker
{
    private StepSummary? _last;

    /// <summary>Raised when the last step or its state changes.</summary>
    public event System.Action? Changed;

    /// <summary>The last step, or null before any.</summary>
    public StepSummary? Last => Volatile.Read(ref _last);

    /// <summary>Records an update; output-only updates (same state) change nothing.</summary>
    public void Record(StepUpdate update)
    {
        if (update.State == StepState.Unspecified)
        {
            return;
        }

        var next = new StepSummary(update.RunId, update.StepId, update.State);
        var previous = Interlocked.Exchange(ref _last, next);
        if (previous != next)
        {
            Changed?.Invoke();
        }
    }
}
