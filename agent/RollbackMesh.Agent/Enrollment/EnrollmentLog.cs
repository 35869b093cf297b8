using Microsoft.Extensions.Logging;

namespace RollbackMesh.Agent.Enrollment;

/// <summary>Log messages of enrollment and renewal (event ids 700-799). None carries the join token.</summary>
internal static partial class EnrollmentLog
{
    [LoggerMessage(700, LogLevel.Information, "No certificate at {Certificate}: enrolling as {Node} at {Address} with join token {TokenId}")]
    public static partial void Enrolling(ILogger logger, string certificate, string node, string address, string tokenId);

    [LoggerMessage(701, LogLevel.Information, "Enrolled as {Node}; certificate {Serial} valid until {NotAfter:u}")]
    public static partial void Enrolled(ILogger logger, string node, string serial, DateTime notAfter);

    [LoggerMessage(702, LogLevel.Information, "Renewed the certificate; {Serial} valid until {NotAfter:u}")]
    public static partial void Renewed(ILogger logger, string serial, DateTime notAfter);

    [LoggerMessage(703, LogLevel.Warning, "Certificate renewal failed (next check in {NextCheck}): {Reason}")]
    public static partial void RenewalFailed(ILogger logger, TimeSpan nextCheck, string reason);
}
