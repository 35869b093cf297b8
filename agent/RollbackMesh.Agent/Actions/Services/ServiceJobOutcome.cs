namespace RollbackMesh.Agent.Actions.Services;

/// <summary>How a unit job ended.</summary>
/// <param name="Succeeded">True when systemd reported the job "done".</param>
/// <param name="Result">systemd's job result word (done, failed, timeout, canceled, dependency, skipped).</param>
internal sealed record ServiceJobOutcome(bool Succeeded, string Result);
