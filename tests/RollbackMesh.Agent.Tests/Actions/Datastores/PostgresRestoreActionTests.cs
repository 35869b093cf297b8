using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Datastores;

public sealed class PostgresRestoreActionTests : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly PostgresFixture _pg;
    private readonly AgentHarness _h = new();

    public PostgresRestoreActionTests(PostgresFixture pg) => _pg = pg;

    private RollbackMesh.V1.Action Restore(string dump) =>
        new() { PostgresRestore = new PostgresRestore { DumpPath = dump, Connection = _pg.Connection } };

    [Fact]
    public async Task ExecuteAsync_GoodDump_DatabaseBackToDumpedState()
    {
        var dump = Path.Combine(_h.Allowed, "kine.dump");
        File.Copy(_pg.DumpPath, dump);
        _pg.Psql("kine", "UPDATE kv SET value = 'v1.25.0' WHERE name = '/registry/version'; INSERT INTO kv VALUES ('/registry/new', 'x');");
        await _h.Build(Restore(dump)).ExecuteAsync(_h.Context(), default);
        Assert.Equal("/registry/version|v1.24.4", _pg.Psql("kine", "SELECT name, value FROM kv ORDER BY name;"));
    }

    [Fact]
    public async Task ExecuteAsync_GoodDump_LiveDatabaseDumpedIntoBackupDirectoryFirstAndRestoredTablesCounted()
    {
        var dump = Path.Combine(_h.Allowed, "kine-backup-first.dump");
        File.Copy(_pg.DumpPath, dump);
        _pg.Psql("kine", "INSERT INTO kv VALUES ('/registry/only-in-live', 'written-after-upgrade') ON CONFLICT DO NOTHING;");
        var result = await _h.Build(Restore(dump)).ExecuteAsync(_h.Context(), default);

        // The pre-restore dump is a real, readable pg_dump archive holding what --clean dropped.
        var backup = Assert.Single(Directory.GetFiles(_h.Options.BackupDirectory, "postgres-pre-restore-*.dump"));
        Assert.True(new FileInfo(backup).Length > 0);
        var sql = Sh.Run("/usr/bin/pg_restore", "-f", "-", backup);
        Assert.Contains("written-after-upgrade", sql, StringComparison.Ordinal);
        Assert.Equal(string.Empty, _pg.Psql("kine", "SELECT value FROM kv WHERE name = '/registry/only-in-live';"));

        // The restored database was checked table by table.
        Assert.Contains("public.kv: 1 rows", result, StringComparison.Ordinal);
        Assert.Contains(_h.Output, line => line.StartsWith("live database backed up to " + backup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_LiveDatabaseCannotBeDumped_NothingRestored()
    {
        // The connection names a database pg_dump cannot reach: without its backup the restore must not run.
        var dump = Path.Combine(_h.Allowed, "kine-unreachable.dump");
        File.Copy(_pg.DumpPath, dump);
        var action = new RollbackMesh.V1.Action
        {
            PostgresRestore = new PostgresRestore { DumpPath = dump, Connection = _pg.Connection.Replace("dbname=kine", "dbname=nosuchdb", StringComparison.Ordinal) },
        };
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => _h.Build(action).ExecuteAsync(_h.Context(), default));
        Assert.Contains("pg_dump of the live database exited", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nothing restored", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_DumpWithoutTables_RefusedAsNotADatastoreBackup()
    {
        _pg.Psql("postgres", "DROP DATABASE IF EXISTS emptydb;");
        _pg.Psql("postgres", "CREATE DATABASE emptydb;");
        var dump = Path.Combine(_h.Allowed, "empty.dump");
        Sh.Run("/usr/bin/pg_dump", "-Fc", "-f", dump, "-d", _pg.Connection.Replace("dbname=kine", "dbname=emptydb", StringComparison.Ordinal));
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => _h.Build(Restore(dump)).ExecuteAsync(_h.Context(), default));
        Assert.Contains("lists no table", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(_h.Options.BackupDirectory) ? Directory.GetFiles(_h.Options.BackupDirectory) : []);
    }

    [Fact]
    public async Task ExecuteAsync_TruncatedDump_RefusedByOfflineCheckAndDatabaseUntouched()
    {
        var bytes = File.ReadAllBytes(_pg.DumpPath);
        var dump = Path.Combine(_h.Allowed, "truncated.dump");
        File.WriteAllBytes(dump, bytes[..(bytes.Length * 2 / 3)]);
        _pg.Psql("kine", "INSERT INTO kv VALUES ('/registry/marker', 'still-here') ON CONFLICT DO NOTHING;");
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => _h.Build(Restore(dump)).ExecuteAsync(_h.Context(), default));
        Assert.Contains("offline check", ex.Message, StringComparison.Ordinal);
        Assert.Equal("still-here", _pg.Psql("kine", "SELECT value FROM kv WHERE name = '/registry/marker';"));
    }

    [Fact]
    public void Create_ConnectionWithPassword_Refused()
    {
        var action = new RollbackMesh.V1.Action { PostgresRestore = new PostgresRestore { DumpPath = Path.Combine(_h.Allowed, "x.dump"), Connection = "host=db password=hunter2" } };
        Assert.Throws<ActionValidationException>(() => _h.Build(action));
    }

    public void Dispose() => _h.Dispose();
}
