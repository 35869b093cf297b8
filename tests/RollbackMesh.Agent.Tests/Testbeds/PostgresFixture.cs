namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>
/// A private PostgreSQL 15 cluster (initdb/pg_ctl under runuser postgres, Unix socket in its own directory,
/// no TCP) with a "kine" database and a custom-format dump of it, once per test class.
/// </summary>
public sealed class PostgresFixture : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly TempRoot _root = new("rm-pg-");
    private readonly string _data;

    public PostgresFixture()
    {
        _data = Path.Combine(_root.Path, "data");
        SocketDir = _root.Dir("sock");
        Port = FreePort.Next();
        Sh.Run("/bin/chown", "-R", "postgres:postgres", _root.Path);
        Sh.Run("/usr/sbin/runuser", "-u", "postgres", "--", $"{Bin}/initdb", "-D", _data, "-A", "trust", "--no-sync", "-U", "postgres");
        Sh.Run("/usr/sbin/runuser", "-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", _data, "-w", "-l", Path.Combine(_root.Path, "pg.log"),
            "-o", $"-k {SocketDir} -p {Port} -c listen_addresses=''", "start");
        Psql("postgres", "CREATE DATABASE kine;");
        Psql("kine", "CREATE TABLE kv(name text primary key, value text); INSERT INTO kv VALUES ('/registry/version', 'v1.24.4');");
        DumpPath = Path.Combine(_root.Path, "kine.dump");
        Sh.Run("/usr/bin/pg_dump", "-Fc", "-h", SocketDir, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-f", DumpPath, "kine");
    }

    public string SocketDir { get; }

    public int Port { get; }

    public string DumpPath { get; }

    public string Connection => $"host={SocketDir} port={Port} user=postgres dbname=kine";

    public string Psql(string database, string sql) =>
        Sh.Run("/usr/bin/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", SocketDir, "-p",
            Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-c", sql).Trim();

    public void Dispose()
    {
        try
        {
            Sh.Run("/usr/sbin/runuser", "-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", _data, "-m", "immediate", "stop");
        }
        finally
        {
            _root.Dispose();
        }
    }
}
