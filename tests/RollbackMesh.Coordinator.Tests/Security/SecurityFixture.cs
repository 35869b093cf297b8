using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Coordinator.Security;

namespace RollbackMesh.Coordinator.Tests.Security;

/// <summary>An initialised data directory with the CA loaded, the state file, and a stepped clock.</summary>
internal sealed class SecurityFixture : IDisposable
{
    private readonly TempRoot _dir = new();

    public SecurityFixture()
    {
        Paths = new SecurityPaths(_dir.Path);
        new CoordinatorInitializer(Time).Initialize(Paths, [], TextWriter.Null);
        Authority = CertificateAuthority.Load(Paths);
        State = new SecurityStateFile(Paths);
        Ledger = new CertificateLedger(State, Time);
        Tokens = new JoinTokenService(State, Time);
        Resolver = new PeerIdentityResolver(Authority.Certificate, Ledger, Time);
    }

    public FakeTimeProvider Time { get; } = VirtualClock.Now();

    public SecurityPaths Paths { get; }

    public CertificateAuthority Authority { get; }

    public SecurityStateFile State { get; }

    public CertificateLedger Ledger { get; }

    public JoinTokenService Tokens { get; }

    public PeerIdentityResolver Resolver { get; }

    /// <summary>Issues (and records) a client certificate of <paramref name="kind"/> for a fresh key.</summary>
    public X509Certificate2 Issue(PeerKind kind, string name, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = Authority.IssueClient(new PublicKey(key), kind, name, Time.GetUtcNow(), lifetime ?? TimeSpan.FromDays(30));
        Ledger.RecordIssued(certificate, kind, name);
        return certificate;
    }

    public void Dispose()
    {
        Authority.Dispose();
        _dir.Dispose();
    }
}
