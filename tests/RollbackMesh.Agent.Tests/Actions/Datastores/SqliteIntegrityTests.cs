using RollbackMesh.Agent.Actions.Datastores;
using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Actions.Datastores;

public sealed class SqliteIntegrityTests : IDisposable
{
    private readonly TempRoot _root = new();

    [Fact]
    public void Check_IntactDatabase_ReturnsNullAndLeavesFileUnchanged()
    {
        var path = Database("ok.db");
        var before = File.ReadAllBytes(path);
        Assert.Null(SqliteIntegrity.Check(path));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Check_NotSqlite_ReportsNotADatabase()
    {
        var path = _root.Write("backup.db", "this is a tarball, not a database\n" + new string('x', 4096));
        var problem = SqliteIntegrity.Check(path);
        Assert.NotNull(problem);
        Assert.Contains("file is not a database", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MissingFile_ReportsCannotOpenAndCreatesNothing()
    {
        var problem = SqliteIntegrity.Check(_root["missing.db"]);
        Assert.NotNull(problem);
        Assert.Contains("unable to open database file", problem, StringComparison.Ordinal);
        Assert.False(File.Exists(_root["missing.db"]));
    }

    [Fact]
    public void Check_CorruptPages_ReportsWhatTheCheckFound()
    {
        var path = Database("bad.db");
        var bytes = File.ReadAllBytes(path);
        for (var i = 4096; i < bytes.Length; i += 7)
        {
            bytes[i] ^= 0x5A;
        }

        File.WriteAllBytes(path, bytes);
        var problem = SqliteIntegrity.Check(path);
        Assert.NotNull(problem);
        Assert.NotEqual("ok", problem);
    }

    public void Dispose() => _root.Dispose();

    private string Database(string name)
    {
        var path = _root[name];
        Sh.Run("/usr/bin/sqlite3", path, "CREATE TABLE kine(name TEXT); INSERT INTO kine SELECT 'row-' || value FROM generate_series(1, 200);");
        return path;
    }
}
