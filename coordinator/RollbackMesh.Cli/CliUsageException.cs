namespace RollbackMesh.Cli;

/// <summary>The command line is unusable (exit code 2); the message says why.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
