namespace RollbackMesh.Agent.Systemd;

/// <summary>Maps systemd's job result strings onto <see cref="JobResult"/>.</summary>
internal static class JobResults
{
    public static JobResult Parse(string result) => result switch
    {
        "done" => JobResult.Done,
        "failed" => JobResult.Failed,
        "timeout" => JobResult.Timeout,
        "canceled" => JobResult.Canceled,
        "dependency" => JobResult.Dependency,
        "skipped" => JobResult.Skipped,
        _ => JobResult.Unknown,
    };
}
