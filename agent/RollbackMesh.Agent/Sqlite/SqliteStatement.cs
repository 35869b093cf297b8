using SQLitePCL;

namespace RollbackMesh.Agent.Sqlite;

/// <summary>
/// A prepared statement of a <see cref="SqliteDatabase"/>: bind parameters by name, step through rows, read columns.
/// Disposing finalizes it (through the library's SafeHandle). Values are stored as Microsoft.Data.Sqlite stored them:
/// strings as TEXT, integers as INTEGER, so files written before and after read the same.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly sqlite3_stmt _handle;
    private readonly string _sql;

    internal SqliteStatement(SqliteDatabase database, sqlite3_stmt handle, string sql)
    {
        _database = database;
        _handle = handle;
        _sql = sql;
    }

    /// <summary>Binds TEXT to the parameter named <paramref name="name"/> (with its prefix, e.g. "$run").</summary>
    public void Bind(string name, string value) =>
        _database.Check(raw.sqlite3_bind_text(_handle, IndexOf(name), value), _sql);

    /// <summary>Binds INTEGER to the parameter named <paramref name="name"/>.</summary>
    public void Bind(string name, long value) =>
        _database.Check(raw.sqlite3_bind_int64(_handle, IndexOf(name), value), _sql);

    /// <summary>Advances to the next row: true when there is one, false when the statement is done.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_handle);
        return rc switch
        {
            raw.SQLITE_ROW => true,
            raw.SQLITE_DONE => false,
            _ => throw _database.Error(rc, _sql),
        };
    }

    /// <summary>True when column <paramref name="index"/> of the current row is NULL.</summary>
    public bool IsNull(int index) => raw.sqlite3_column_type(_handle, index) == raw.SQLITE_NULL;

    /// <summary>Column <paramref name="index"/> as a 64-bit integer (NULL reads as 0, as in SQLite).</summary>
    public long GetInt64(int index) => raw.sqlite3_column_int64(_handle, index);

    /// <summary>Column <paramref name="index"/> as a 32-bit integer; a value out of range throws rather than wraps.</summary>
    public int GetInt32(int index) => checked((int)GetInt64(index));

    /// <summary>Column <paramref name="index"/> as text (NULL reads as empty).</summary>
    public string GetString(int index) => raw.sqlite3_column_text(_handle, index).utf8_to_string() ?? string.Empty;

    /// <summary>Finalizes the statement.</summary>
    public void Dispose() => _handle.Dispose();

    private int IndexOf(string name)
    {
        var index = raw.sqlite3_bind_parameter_index(_handle, name);
        return index > 0 ? index : throw new ArgumentException($"no parameter {name} in: {_sql}", nameof(name));
    }
}
