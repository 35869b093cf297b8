using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackMesh.Agent.Enrollment;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Coordinator.Security;
using Grpc.Net.Client;
using RollbackMesh.Protos.Channels;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>
/// The real coordinator (CoordinatorApp, Kestrel on 127.0.0.1:0) over real TLS, with its data directory initialised by
/// <see cref="CoordinatorInitializer"/> exactly as <c>init</c> does, and every log line captured.
/// </summary>
internal sealed class SecureCoordinator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SecureCoordinator(WebApplication app, string directory, SecurityPaths paths, CapturedLogs logs)
    {
        _app = app;
        Directory = directory;
        Paths = paths;
        Logs = logs;
        Address = CoordinatorApp.BoundAddress(app);
        Ca = X509CertificateLoader.LoadCertificateFromFile(paths.CaCertificate);
    }

    public string Directory { get; }

    public SecurityPaths Paths { get; }

    public CapturedLogs Logs { get; }

    public Uri Address { get; }

    public X509Certificate2 Ca { get; }

    public string CaFingerprint => CertificateAuthority.FingerprintOf(Ca);

    public AuditLog Audit => _app.Services.GetRequiredService<AuditLog>();

    /// <summary>The nodes the coordinator knows (registered by a Hello).</summary>
    public FleetRegistry Fleet => _app.Services.GetRequiredService<FleetRegistry>();

    /// <summary>The issued and revoked certificates (as <c>node remove</c> changes them).</summary>
    public CertificateLedger Ledger => _app.Services.GetRequiredService<CertificateLedger>();

    public static async Task<SecureCoordinator> StartAsync(Action<SecurityOptions>? security = null, ConnectionLimits? connections = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("rbm-secure-").FullName;
        var data = Path.Combine(directory, "data");
        var paths = new SecurityPaths(data);
        new CoordinatorInitializer(TimeProvider.System).Initialize(paths, [], TextWriter.Null);
        var tls = new CoordinatorTlsOptions(paths.ServerCertificate, paths.ServerKey, paths.CaCertificate, ClientCertificateMode.AllowCertificate);
        var options = new CoordinatorHostOptions(new IPEndPoint(IPAddress.Loopback, 0), data, tls, Insecure: false, RunbookDirectories: [])
        {
            Connections = connections ?? new ConnectionLimits(),
        };
        var logs = new CapturedLogs();
        var app = CoordinatorApp.Build(options, RunbookCatalog.Load(), logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        if (security is not null)
        {
            security(app.Services.GetRequiredService<SecurityOptions>());
        }

        await app.StartAsync();
        return new SecureCoordinator(app, directory, paths, logs);
    }

    /// <summary>A join token, created the way <c>token create</c> does.</summary>
    public string CreateToken(TimeSpan? ttl = null, int uses = 1) =>
        _app.Services.GetRequiredService<JoinTokenService>().Create(CaFingerprint, ttl ?? TimeSpan.FromHours(1), uses).Format();

    /// <summary>A channel that trusts only this coordinator's CA, presenting <paramref name="client"/> when given.</summary>
    public GrpcChannel Channel(X509Certificate2? client = null) => RollbackMeshChannel.Create(Address, new ChannelSettings
    {
        ClientCertificate = client,
        PinnedCa = Ca,
    });

    /// <summary>Enrolls <paramref name="node"/> with a fresh token; returns its credential paths.</summary>
    public async Task<AgentCredentialPaths> EnrollAsync(string node)
    {
        var paths = AgentCredentialPaths.In(Path.Combine(Directory, "agent-" + node));
        await new EnrollmentClient(TimeProvider.System).EnrollAsync(Address, CreateToken(), node, paths, CancellationToken.None);
        return paths;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        Ca.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
