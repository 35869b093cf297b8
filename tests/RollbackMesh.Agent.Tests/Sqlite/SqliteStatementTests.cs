using RollbackMesh.Agent.Sqlite;
using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Sqlite;

public sealed class SqliteStatementTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly SqliteDatabase _database;

    public SqliteStatementTests()
    {
        _database = SqliteDatabase.OpenOrCreate(_root["s.db"]);
        _database.Execute("CREATE TABLE t(k TEXT PRIMARY KEY, s TEXT, n INTEGER);");
    }

    [Fact]
    public void Bind_StringAndInteger_StoredAsTextAndInteger()
    {
        Insert("a", "hello", 5_000_000_000);
        Assert.Equal("text|hello|integer|5000000000", Cli("SELECT typeof(s), s, typeof(n), n FROM t WHERE k = 'a';"));
    }

    [Fact]
    public void Bind_EmptyString_StoredAsEmptyTextNotNull()
    {
        Insert("a", string.Empty, 0);
        Assert.Equal("text|0", Cli("SELECT typeof(s), length(s) FROM t WHERE k = 'a';"));
    }

    [Fact]
    public void GetString_NonAscii_RoundTrips()
    {
        Insert("a", "Grüße ✓ 日本", 1);
        using var select = _database.Prepare("SELECT s FROM t WHERE k = $k");
        select.Bind("$k", "a");
        Assert.True(select.Step());
        Assert.Equal("Grüße ✓ 日本", select.GetString(0));
        Assert.False(select.Step());
    }

    [Fact]
    public void IsNull_NullAndValue_TellsThemApart()
    {
        _database.Execute("INSERT INTO t (k) VALUES ('a');");
        using var select = _database.Prepare("SELECT s, k FROM t");
        Assert.True(select.Step());
        Assert.True(select.IsNull(0));
        Assert.False(select.IsNull(1));
    }

    [Fact]
    public void GetInt32_ValueBeyondInt32_ThrowsInsteadOfWrapping()
    {
        Insert("a", "x", 5_000_000_000);
        using var select = _database.Prepare("SELECT n FROM t");
        Assert.True(select.Step());
        Assert.Equal(5_000_000_000, select.GetInt64(0));
        Assert.Throws<OverflowException>(() => select.GetInt32(0));
    }

    [Fact]
    public void Bind_UnknownName_ThrowsNamingIt()
    {
        using var select = _database.Prepare("SELECT s FROM t WHERE k = $k");
        var ex = Assert.Throws<ArgumentException>(() => select.Bind("$key", "a"));
        Assert.Contains("$key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_ConstraintViolation_ThrowsWithCodeAndStatement()
    {
        Insert("a", "x", 1);
        var ex = Assert.Throws<SqliteException>(() => Insert("a", "y", 2));
        Assert.Equal(19, ex.ResultCode);
        Assert.Contains("UNIQUE constraint failed", ex.SqliteMessage, StringComparison.Ordinal);
        Assert.StartsWith("INSERT INTO t", ex.Statement, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _database.Dispose();
        _root.Dispose();
    }

    private void Insert(string key, string text, long number)
    {
        using var insert = _database.Prepare("INSERT INTO t (k, s, n) VALUES ($k, $s, $n)");
        insert.Bind("$k", key);
        insert.Bind("$s", text);
        insert.Bind("$n", number);
        Assert.False(insert.Step());
    }

    private string Cli(string sql) => Sh.Run("/usr/bin/sqlite3", _root["s.db"], sql).Trim();
}
