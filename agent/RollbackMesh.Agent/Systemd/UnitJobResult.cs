namespace RollbackMesh.Agent.Systemd;

/// <summary>The outcome of a start/stop/restart/reload job.</summary>
/// <param name="Unit">The unit name the job was queued for.</param>
/// <param name="JobPath">The job's object path, e.g. <c>/org/freedesktop/systemd1/job/42</c>.</param>
/// <param name="Result">How the job ended.</param>
internal sealed record UnitJobResult(string Unit, string JobPath, JobResult Result);
