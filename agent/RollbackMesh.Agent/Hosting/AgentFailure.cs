namespace RollbackMesh.Agent.Hosting;

/// <summary>
/// Records a fatal error from a background service so Main returns non-zero after the host stops: the generic host
/// stops on a failed BackgroundService but would otherwise return normally, and systemd would not restart us.
/// </summary>
internal sealed class AgentFailure
{
    private Exception? _error;

    /// <summary>The first fatal error, or null.</summary>
    public Exception? Error => Volatile.Read(ref _error);

    /// <summary>Records <paramref name="error"/> unless one is recorded already.</summary>
    public void Record(Exception error) => Interlocked.CompareExchange(ref _error, error, null);
}
