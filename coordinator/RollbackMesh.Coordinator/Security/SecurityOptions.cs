namespace RollbackMesh.Coordinator.Security;

/// <summary>Security settings of the coordinator.</summary>
internal sealed class SecurityOptions
{
    /// <summary>Lifetime of a node certificate. Default: 30 days (agents renew with a third left).</summary>
    public TimeSpan NodeCertificateLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Lifetime of an operator certificate. Default: 365 days.</summary>
    public TimeSpan OperatorCertificateLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Enrollment attempts a remote address may make at once. Default: 10.</summary>
    public int EnrollmentBurst { get; set; } = 10;

    /// <summary>Time to earn back one enrollment attempt. Default: 6 seconds (10 a minute).</summary>
    public TimeSpan EnrollmentRefillInterval { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Concurrent HTTP/2 streams per connection. Default: 100 (an agent needs one; an operator a few).</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>Largest CSR accepted, in bytes. Default: 8 KiB.</summary>
    public int MaxCsrSize { get; set; } = 8 * 1024;
}
