namespace RollbackMesh.Agent.Actions;

/// <summary>An action ran and failed; the message is what the operator sees.</summary>
internal sealed class ActionFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActionFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ActionFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
