using SQLitePCL;

namespace RollbackMesh.Agent.Sqlite;

/// <summary>
/// One SQLite connection through SQLitePCLRaw, without the ADO.NET layer of Microsoft.Data.Sqlite (which brings
/// System.Data.Common into the agent's idle memory for a handful of statements). Not thread-safe: callers serialise.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    /// <summary>
    /// How long a statement waits for another connection's lock before failing with SQLITE_BUSY. Microsoft.Data.Sqlite
    /// retried busy statements for its default command timeout of 30 s; the same here keeps an operator's sqlite3
    /// session on the journal from failing a step any sooner than before.
    /// </summary>
    internal const int BusyTimeoutMilliseconds = 30_000;

    private readonly sqlite3 _handle;

    static SqliteDatabase() => Batteries_V2.Init();

    private SqliteDatabase(sqlite3 handle) => _handle = handle;

    /// <summary>Opens the database at <paramref name="path"/> for reading and writing, creating the file if needed.</summary>
    public static SqliteDatabase OpenOrCreate(string path) =>
        Open(path, raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_CREATE);

    /// <summary>Opens an existing database read-only; a missing file fails with SQLITE_CANTOPEN.</summary>
    public static SqliteDatabase OpenReadOnly(string path) => Open(path, raw.SQLITE_OPEN_READONLY);

    /// <summary>Runs <paramref name="sql"/>, which may hold several statements, reading past any rows they return.</summary>
    public void Execute(string sql)
    {
        var remaining = sql;
        while (!string.IsNullOrWhiteSpace(remaining))
        {
            var current = remaining;
            var rc = raw.sqlite3_prepare_v2(_handle, current, out var stmt, out remaining);
            using var statement = new SqliteStatement(this, stmt, current);
            Check(rc, current);

            // A tail holding only whitespace or a comment prepares to no statement at all.
            if (!stmt.IsInvalid)
            {
                while (statement.Step())
                {
                }
            }
        }
    }

    /// <summary>Prepares one statement; the caller disposes it (which finalizes it).</summary>
    public SqliteStatement Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_handle, sql, out var stmt, out string tail);
        var statement = new SqliteStatement(this, stmt, sql);
        if (rc != raw.SQLITE_OK || !string.IsNullOrWhiteSpace(tail) || stmt.IsInvalid)
        {
            using (statement)
            {
                Check(rc, sql);
                throw new ArgumentException($"expected exactly one SQL statement: {sql}", nameof(sql));
            }
        }

        return statement;
    }

    /// <summary>Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.</summary>
    public int Changes => raw.sqlite3_changes(_handle);

    /// <summary>Closes the connection (sqlite3_close_v2, through the library's SafeHandle).</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>Throws <see cref="SqliteException"/> unless <paramref name="rc"/> is SQLITE_OK.</summary>
    internal void Check(int rc, string statement)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc, statement);
        }
    }

    /// <summary>The exception for a failed call, with the connection's current error message.</summary>
    internal SqliteException Error(int rc, string statement) =>
        new(rc, raw.sqlite3_errmsg(_handle).utf8_to_string() ?? raw.sqlite3_errstr(rc).utf8_to_string(), statement);

    private static SqliteDatabase Open(string path, int flags)
    {
        // sqlite3_open_v2 hands back a connection even when it fails (it carries the error message); it must
        // still be closed, which disposing the wrapper does.
        var rc = raw.sqlite3_open_v2(path, out var handle, flags, null);
        var database = new SqliteDatabase(handle);
        try
        {
            if (handle.IsInvalid)
            {
                throw new SqliteException(rc, raw.sqlite3_errstr(rc).utf8_to_string(), $"open {path}");
            }

            database.Check(rc, $"open {path}");
            database.Check(raw.sqlite3_busy_timeout(handle, BusyTimeoutMilliseconds), "sqlite3_busy_timeout");
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }
}
