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
