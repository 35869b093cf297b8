namespace RollbackMesh.Agent.Actions;

/// <summary>A step's action was rejected before running (bad argument, name not allowed); the step is REFUSED.</summary>
internal sealed class ActionValidationException : Exception
{
    /// <summary>Creates the exception; the message names every problem found.</summary>
    public ActionValidationException(string message)
        : base(message)
    {
    }
}
