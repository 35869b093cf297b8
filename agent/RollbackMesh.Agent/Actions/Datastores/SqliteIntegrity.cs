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
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            var rows = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(reader.GetString(0));
            }

            return rows is ["ok"] ? null : string.Join("; ", rows.Take(5));
        }
        catch (SqliteException ex)
        {
            return ex.Message;
        }
    }
}
