using System.Globalization;
using System.Text.RegularExpressions;
using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Datastores;

/// <summary>
/// External-datastore rollback (K3s 003, `pg_restore -U USER -d DB BACKUP-FILE`). In order, each step refusing
/// the next when it fails:
/// 1. the dump passes the offline check `pg_restore -f /dev/null DUMP` (a truncated dump passes `-l`) and lists at
///    least one table (anything else is not a backup of a K3s datastore);
/// 2. the LIVE database is dumped with `pg_dump -Fc` into the agent's backup directory, and that dump must be
///    non-empty and pass the same offline check, because `--clean` drops what the live database holds;
/// 3. `pg_restore --clean --if-exists --single-transaction --exit-on-error`;
/// 4. the restored database is checked (the document's "verify the integrity of the database"): every table the
///    dump lists must exist and be readable; the row counts are reported.
/// </summary>
internal sealed partial class PostgresRestoreAction : AgentAction
{
    private readonly string _dump;
    private readonly string _connection;

    /// <summary>Creates the restore for a confined dump and a validated connection string (no password).</summary>
    public PostgresRestoreAction(string dump, string connection)
    {
        _dump = dump;
        _connection = connection;
    }

    /// <inheritdoc />
    public override string Kind => "postgres_restore";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var backup = Path.Combine(context.Options.BackupDirectory, "postgres-pre-restore-TIMESTAMP.dump");
        return Task.FromResult(string.Join('\n',
            Check(context, _dump).CommandLine,
            Dump(context, backup).CommandLine,
            Check(context, backup).CommandLine,
            Restore(context).CommandLine,
            $"{context.Options.Tools.Psql} -d {_connection}: SELECT count(*) of every table the dump lists"));
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var check = await context.RunAsync(Check(context, _dump), cancellationToken).ConfigureAwait(false);
        if (!check.Succeeded)
        {
            throw new ActionFailedException($"dump {_dump} failed the offline check (pg_restore -f /dev/null, exit {check.ExitCode}): {check.CombinedOutput}; nothing restored");
        }

        var tables = await TablesAsync(context, cancellationToken).ConfigureAwait(false);
        var backup = await BackUpLiveAsync(context, cancellationToken).ConfigureAwait(false);
        context.Output($"live database backed up to {backup}");
        try
        {
            await context.RunCheckedAsync(Restore(context), cancellationToken).ConfigureAwait(false);
        }
        catch (ActionFailedException ex)
        {
            // --single-transaction: a failed restore changed nothing, and the pre-restore dump is kept either way.
            throw new ActionFailedException($"{ex.Message}; the live database was backed up to {backup} first");
        }

        var counts = await CheckRestoredAsync(context, tables, cancellationToken).ConfigureAwait(false);
        return $"restored {_dump} ({counts}); the previous database is in {backup}";
    }

    // The tables of the dump's table of contents ("215; 1259 16385 TABLE public kine postgres"; not the "TABLE DATA" entries).
    private async Task<IReadOnlyList<(string Schema, string Table)>> TablesAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var list = await context.QueryAsync(
            new ToolInvocation { FileName = context.Options.Tools.PgRestore, Arguments = ["--list", _dump] }, cancellationToken).ConfigureAwait(false);
        if (!list.Succeeded)
        {
            throw new ActionFailedException($"pg_restore --list {_dump} exited {list.ExitCode}: {list.CombinedOutput}; nothing restored");
        }

        var tables = list.StandardOutput.Split('\n')
            .Select(line => TocTableRegex().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["schema"].Value, m.Groups["table"].Value))
            .Distinct()
            .ToArray();
        return tables.Length > 0
            ? tables
            : throw new ActionFailedException($"dump {_dump} lists no table (pg_restore --list), so it is not a backup of a datastore; nothing restored");
    }

    private async Task<string> BackUpLiveAsync(ActionContext context, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(context.Options.BackupDirectory);
        var stamp = context.Time.GetUtcNow().ToString("yyyyMMddTHHmmssfffZ", CultureInfo.InvariantCulture);
        var backup = Path.Combine(context.Options.BackupDirectory, $"postgres-pre-restore-{stamp}.dump");
        var dumped = await context.RunAsync(Dump(context, backup), cancellationToken).ConfigureAwait(false);
        if (!dumped.Succeeded)
        {
            throw new ActionFailedException($"pg_dump of the live database exited {dumped.ExitCode}: {dumped.CombinedOutput}; nothing restored");
        }

        if (!File.Exists(backup) || new FileInfo(backup).Length == 0)
        {
            throw new ActionFailedException($"pg_dump exited 0 but {backup} is missing or empty; nothing restored");
        }

        var readable = await context.RunAsync(Check(context, backup), cancellationToken).ConfigureAwait(false);
        return readable.Succeeded
            ? backup
            : throw new ActionFailedException($"the live database's dump {backup} failed the offline check (exit {readable.ExitCode}): {readable.CombinedOutput}; nothing restored");
    }

    private async Task<string> CheckRestoredAsync(ActionContext context, IReadOnlyList<(string Schema, string Table)> tables, CancellationToken cancellationToken)
    {
        var counts = new List<string>();
        foreach (var (schema, table) in tables)
        {
            var query = await context.QueryAsync(new ToolInvocation
            {
                FileName = context.Options.Tools.Psql,
                Arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", _connection, "-c", $"SELECT count(*) FROM \"{schema}\".\"{table}\""],
            }, cancellationToken).ConfigureAwait(false);
            if (!query.Succeeded || !long.TryParse(query.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var rows))
            {
                throw new ActionFailedException(
                    $"pg_restore finished but the restored database fails the check: {schema}.{table} cannot be read (psql exit {query.ExitCode}: {query.CombinedOutput.Trim()})");
            }

            counts.Add($"{schema}.{table}: {rows} rows");
        }

        return string.Join(", ", counts);
    }

    private static ToolInvocation Check(ActionContext context, string dump) =>
        new() { FileName = context.Options.Tools.PgRestore, Arguments = ["-f", "/dev/null", dump] };

    private ToolInvocation Dump(ActionContext context, string backup) =>
        new() { FileName = context.Options.Tools.PgDump, Arguments = ["-Fc", "-f", backup, "-d", _connection] };

    private ToolInvocation Restore(ActionContext context) => new()
    {
        FileName = context.Options.Tools.PgRestore,
        Arguments = ["--clean", "--if-exists", "--single-transaction", "--exit-on-error", "-d", _connection, _dump],
    };

    // Identifiers are kept to plain names so they can be double-quoted into the count query safely.
    [GeneratedRegex(@"^\d+;\s+\d+\s+\d+\s+TABLE\s+(?!DATA\s)(?<schema>[A-Za-z_][A-Za-z0-9_]*)\s+(?<table>[A-Za-z_][A-Za-z0-9_]*)\s")]
    private static partial Regex TocTableRegex();
}
