using RollbackMesh.Agent.Sqlite;
using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Sqlite;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempRoot _root = new();

    [Fact]
    public void Execute_SeveralStatementsAndTrailingComment_RunsEachAndCreatesFile()
    {
        using (var database = SqliteDatabase.OpenOrCreate(_root["a.db"]))
        {
            database.Execute("CREATE TABLE t(x TEXT); INSERT INTO t VALUES ('one'); INSERT INTO t VALUES ('two'); -- done\n");
        }

        Assert.Equal("one\ntwo", Sh.Run("/usr/bin/sqlite3", _root["a.db"], "SELECT x FROM t ORDER BY x;").Trim());
    }

    [Fact]
    public void Execute_StatementReturningRows_ReadsPastThem()
    {
        using var database = SqliteDatabase.OpenOrCreate(_root["a.db"]);
        database.Execute("PRAGMA journal_mode=WAL; CREATE TABLE t(x INTEGER);");
        Assert.True(File.Exists(_root["a.db-wal"]));
    }

    [Fact]
    public void OpenReadOnly_MissingFile_ThrowsCantOpenAndCreatesNothing()
    {
        var ex = Assert.Throws<SqliteException>(() => SqliteDatabase.OpenReadOnly(_root["missing.db"]));
        Assert.Equal(14, ex.ResultCode);
        Assert.Equal("unable to open database file", ex.SqliteMessage);
        Assert.Contains(_root["missing.db"], ex.Statement, StringComparison.Ordinal);
        Assert.False(File.Exists(_root["missing.db"]));
    }

    [Fact]
    public void OpenReadOnly_Write_ThrowsReadOnly()
    {
        Sh.Run("/usr/bin/sqlite3", _root["a.db"], "CREATE TABLE t(x);");
        using var database = SqliteDatabase.OpenReadOnly(_root["a.db"]);
        var ex = Assert.Throws<SqliteException>(() => database.Execute("INSERT INTO t VALUES (1);"));
        Assert.Equal(8, ex.ResultCode);
    }

    [Fact]
    public void Prepare_SyntaxError_ThrowsWithCodeMessageAndStatement()
    {
        using var database = SqliteDatabase.OpenOrCreate(_root["a.db"]);
        var ex = Assert.Throws<SqliteException>(() => database.Prepare("SELEC 1"));
        Assert.Equal(1, ex.ResultCode);
        Assert.Contains("syntax error", ex.SqliteMessage, StringComparison.Ordinal);
        Assert.Equal("SELEC 1", ex.Statement);
        Assert.Contains("SELEC 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_TwoStatements_ThrowsRatherThanDroppingTheSecond()
    {
        using var database = SqliteDatabase.OpenOrCreate(_root["a.db"]);
        Assert.Throws<ArgumentException>(() => database.Prepare("SELECT 1; SELECT 2;"));
    }

    [Fact]
    public void Prepare_NotADatabase_ThrowsNotADb()
    {
        File.WriteAllText(_root["a.db"], new string('x', 4096));
        using var database = SqliteDatabase.OpenOrCreate(_root["a.db"]);
        var ex = Assert.Throws<SqliteException>(() => database.Prepare("SELECT * FROM sqlite_master"));
        Assert.Equal(26, ex.ResultCode);
        Assert.Equal("file is not a database", ex.SqliteMessage);
    }

    [Fact]
    public async Task Execute_OtherConnectionHoldsWriteLockBriefly_WaitsInsteadOfFailingBusy()
    {
        using var first = SqliteDatabase.OpenOrCreate(_root["a.db"]);
        first.Execute("CREATE TABLE t(x INTEGER); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);");
        using var second = SqliteDatabase.OpenOrCreate(_root["a.db"]);
        var release = Task.Run(async () =>
        {
            await Task.Delay(300);
            first.Execute("COMMIT;");
        });

        // Without a busy timeout this fails at once with SQLITE_BUSY (5).
        second.Execute("INSERT INTO t VALUES (2);");
        await release;
        Assert.Equal("2", Sh.Run("/usr/bin/sqlite3", _root["a.db"], "SELECT count(*) FROM t;").Trim());
    }

    [Fact]
    public void Dispose_AfterStatementsFinalized_ReleasesTheFile()
    {
        var database = SqliteDatabase.OpenOrCreate(_root["a.db"]);
        database.Execute("PRAGMA journal_mode=WAL; CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1);");
        using (var select = database.Prepare("SELECT x FROM t"))
        {
            Assert.True(select.Step());
        }

        database.Dispose();

        // The last connection to close checkpoints and deletes the -wal file: it only does so once really closed.
        Assert.False(File.Exists(_root["a.db-wal"]));
    }

    public void Dispose() => _root.Dispose();
}
