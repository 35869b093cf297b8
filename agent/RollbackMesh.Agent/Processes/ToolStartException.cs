namespace RollbackMesh.Agent.Processes;

/// <summary>The tool's executable could not be started (missing, not executable).</summary>
internal sealed class ToolStartException : Exception
{
    /// <summary>Creates the exception naming the executable.</summary>
    public ToolStartException(string fileName, string reason, Exception inner)
        : base($"cannot start {fileName}: {reason}", inner)
    {
        FileName = fileName;
    }

    /// <summary>The executable that failed to start.</summary>
    public string FileName { get; }
}
