namespace RollbackMesh.Agent.Enrollment;

/// <summary>Enrollment or renewal failed; the message says why (never containing the token's secret).</summary>
internal sealed class EnrollmentException(string message, Exception? inner = null) : Exception(message, inner);
