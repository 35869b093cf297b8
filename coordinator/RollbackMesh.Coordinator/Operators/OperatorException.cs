namespace RollbackMesh.Coordinator.Operators;

/// <summary>An operator request refused with a code and a message meant for the operator.</summary>
internal sealed class OperatorException(OperatorErrorCode code, string message) : Exception(message)
{
    public OperatorErrorCode Code { get; } = code;
}
