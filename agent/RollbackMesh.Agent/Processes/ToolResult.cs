namespace RollbackMesh.Agent.Processes;

/// <summary>What a finished tool run produced.</summary>
/// <param name="ExitCode">The process exit code (-1 when it was killed for a timeout or cancellation).</param>
/// <param name="StandardOutput">All of stdout.</param>
/// <param name="StandardError">All of stderr.</param>
internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when the exit code is 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>stdout and stderr together, for error messages.</summary>
    public string CombinedOutput => (StandardOutput + StandardError).Trim();
}
