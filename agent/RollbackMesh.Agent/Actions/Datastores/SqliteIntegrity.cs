using Microsoft.Data.Sqlite;

namespace RollbackMesh.Agent.Actions.Datastores;

/// <summary>`PRAGMA integrity_check` must return exactly one row "ok"; anything else (or an error) is corruption.</summary>
internal static class SqliteIntegrity
{
    /// <summary>Null when the database is intact, else what the check reported.</summary>
    public static string? Check(string path)
    {
        try
        {
            // Read-only: checking a backup must never change it (no journal recovery written back, no file created).
            // Not pooled, so the file is closed when the check returns.
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            using var reader = check.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                rows.Add(reader.GetString(0));
            }

            return rows is ["ok"] ? null : string.Join("; ", rows.Take(5));
        }
        catch (SqliteException ex)
        {
            // A file that is not SQLite at all, or one too damaged to read its schema, fails before any row.
            return ex.Message;
        }
    }
}
