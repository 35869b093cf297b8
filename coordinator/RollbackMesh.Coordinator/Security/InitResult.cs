namespace RollbackMesh.Coordinator.Security;

/// <summary>What <see cref="CoordinatorInitializer.Initialize"/> did.</summary>
/// <param name="CaCreated">A new CA was created (false: an existing one was kept).</param>
/// <param name="ServerCertificateCreated">A new server certificate was created (false: the existing one was kept).</param>
/// <param name="CaFingerprint">The CA's SHA-256 fingerprint (lower-case hex).</param>
internal sealed record InitResult(bool CaCreated, bool ServerCertificateCreated, string CaFingerprint);
