namespace RollbackMesh.Coordinator.Operators;

/// <summary>Why an operator request was refused; the endpoint maps each to the gRPC status code of the same name.</summary>
internal enum OperatorErrorCode
{
    InvalidArgument,
    NotFound,
    FailedPrecondition,
}
