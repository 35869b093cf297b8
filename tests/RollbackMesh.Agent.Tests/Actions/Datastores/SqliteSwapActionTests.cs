using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Datastores;

public sealed class SqliteSwapActionTests : IDisposable
{
    private readonly AgentHarness _h = new();
    private readonly string _db;
    private readonly string _backup;

    public SqliteSwapActionTests()
    {
        _h.Root.Dir("allowed/server/db");
        _h.Root.Dir("allowed/backups");
        _db = Path.Combine(_h.Allowed, "server/db/state.db");
        _backup = Path.Combine(_h.Allowed, "backups/state-before-upgrade.db");
        Sh.Run("/usr/bin/sqlite3", _backup, "CREATE TABLE kine(name TEXT); INSERT INTO kine VALUES ('old-cluster-state');");
        Sh.Run("/usr/bin/sqlite3", _db, "PRAGMA journal_mode=WAL; CREATE TABLE kine(name TEXT); INSERT INTO kine VALUES ('upgraded-state');");
        File.WriteAllText(_db + "-wal", "stale wal");
        File.WriteAllText(_db + "-shm", "stale shm");
    }

    private RollbackMesh.V1.Action Swap() => new() { SqliteSwap = new SqliteSwap { DatabasePath = _db, BackupPath = _backup } };

    [Fact]
    public async Task ExecuteAsync_GoodBackup_SwappedSidecarsAndOldDbQuarantined()
    {
        var action = _h.Build(Swap());
        await action.ExecuteAsync(_h.Context(), default);
        Assert.Equal("old-cluster-state", Sh.Run("/usr/bin/sqlite3", _db, "SELECT name FROM kine;").Trim());
        Assert.False(File.Exists(_db + "-wal"));
        Assert.False(File.Exists(_db + "-shm"));
        var quarantined = Directory.GetFiles(_h.Options.QuarantineDirectory);
        Assert.Equal(3, quarantined.Length);
        var oldDb = Assert.Single(quarantined, f => f.EndsWith("state.db", StringComparison.Ordinal));
        Assert.Equal("upgraded-state", Sh.Run("/usr/bin/sqlite3", oldDb, "SELECT name FROM kine;").Trim());
        Assert.True(await action.VerifyAsync(_h.Context(), default));
        Assert.True(await action.IsAlreadyDoneAsync(_h.Context(), default));
    }

    [Fact]
    public async Task ExecuteAsync_CorruptBackup_RefusedAndDatabaseUntouched()
    {
        // Overwrite the page area while keeping the header: the file still opens, integrity_check is not "ok".
        var bytes = File.ReadAllBytes(_backup);
        for (var i = 4096; i < bytes.Length; i += 7)
        {
            bytes[i] ^= 0x5A;
        }

        File.WriteAllBytes(_backup, bytes);
        var before = File.ReadAllBytes(_db);
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => _h.Build(Swap()).ExecuteAsync(_h.Context(), default));
        Assert.Contains("integrity_check", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_db));
        Assert.True(File.Exists(_db + "-wal"));
    }

    public void Dispose() => _h.Dispose();
}
