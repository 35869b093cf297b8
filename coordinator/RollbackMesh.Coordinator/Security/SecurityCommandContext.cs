using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Storage;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// What the local security commands (token, operator, node) work on: the CA and state under --data, and the audit
/// log in the coordinator's store (SQLite in WAL mode, so this works while <c>serve</c> runs). Local commands run as
/// the machine's user; the audit names them <c>local:USER</c>.
/// </summary>
internal sealed class SecurityCommandContext : IAsyncDisposable
{
    private readonly CoordinatorStore _store;

    private SecurityCommandContext(SecurityPaths paths, CertificateAuthority authority, CoordinatorStore store, TimeProvider time)
    {
        Paths = paths;
        Authority = authority;
        _store = store;
        Time = time;
        State = new SecurityStateFile(paths);
        Ledger = new CertificateLedger(State, time);
        Audit = new AuditLog(store, time);
    }

    public SecurityPaths Paths { get; }

    public CertificateAuthority Authority { get; }

    public SecurityStateFile State { get; }

    public CertificateLedger Ledger { get; }

    public AuditLog Audit { get; }

    public TimeProvider Time { get; }

    /// <summary>Who runs the command, for the audit log.</summary>
    public static string LocalUser => "local:" + Environment.UserName;

    /// <summary>Opens the context; the CA must exist (<c>init</c> first).</summary>
    /// <exception cref="FileNotFoundException">No CA under <paramref name="dataDirectory"/>.</exception>
    public static SecurityCommandContext Open(string dataDirectory, TimeProvider? time = null)
    {
        var paths = new SecurityPaths(dataDirectory);
        if (!File.Exists(paths.CaKey) || !File.Exists(paths.CaCertificate))
        {
            throw new FileNotFoundException($"No CA in {paths.PkiDirectory}; run 'rollbackmesh-coordinator init --data {dataDirectory}' first.");
        }

        return new SecurityCommandContext(paths, CertificateAuthority.Load(paths), CoordinatorStore.Open(Path.Combine(dataDirectory, "coordinator.db")), time ?? TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        Authority.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }
}
