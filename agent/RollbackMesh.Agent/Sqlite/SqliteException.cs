namespace RollbackMesh.Agent.Sqlite;

/// <summary>A SQLite call failed: carries SQLite's result code, its message, and the statement (or file) involved.</summary>
internal sealed class SqliteException : Exception
{
    /// <summary>Creates the exception from what SQLite reported.</summary>
    /// <param name="resultCode">SQLite's (primary or extended) result code.</param>
    /// <param name="sqliteMessage">sqlite3_errmsg (or sqlite3_errstr) at the time of the failure.</param>
    /// <param name="statement">The SQL being prepared or run, or the open call with its path.</param>
    public SqliteException(int resultCode, string sqliteMessage, string statement)
        : base($"SQLite error {resultCode}: {sqliteMessage} (in: {statement})")
    {
        ResultCode = resultCode;
        SqliteMessage = sqliteMessage;
        Statement = statement;
    }

    /// <summary>SQLite's result code, e.g. 26 (SQLITE_NOTADB) or 11 (SQLITE_CORRUPT).</summary>
    public int ResultCode { get; }

    /// <summary>SQLite's own message, e.g. "file is not a database".</summary>
    public string SqliteMessage { get; }

    /// <summary>The statement that failed, or "open PATH" when opening failed.</summary>
    public string Statement { get; }
}
