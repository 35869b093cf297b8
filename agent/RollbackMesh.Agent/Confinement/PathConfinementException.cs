namespace RollbackMesh.Agent.Confinement;

/// <summary>A path argument lies outside every allowed root (after resolving symlinks) or is malformed.</summary>
internal sealed class PathConfinementException : Exception
{
    /// <summary>Creates the exception; the message names the offending path.</summary>
    public PathConfinementException(string path, string reason)
        : base($"path '{path}' refused: {reason}")
    {
        OffendingPath = path;
    }

    /// <summary>The path as given in the step.</summary>
    public string OffendingPath { get; }
}
