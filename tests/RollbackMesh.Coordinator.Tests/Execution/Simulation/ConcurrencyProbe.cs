namespace RollbackMesh.Coordinator.Tests.Execution.Simulation;

/// <summary>Counts steps running at once across simulated agents and keeps the peak.</summary>
internal sealed class ConcurrencyProbe
{
    private int _current;
    private int _peak;

    public int Peak => Volatile.Read(ref _peak);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _current);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }
    }

    public void Leave() => Interlocked.Decrement(ref _current);
}
