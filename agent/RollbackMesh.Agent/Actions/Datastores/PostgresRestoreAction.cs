using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Datastores;

/// <summary>
/// External-datastore rollback: `pg_restore --clean --if-exists --single-transaction --exit-on-error`, only
/// after the dump passes the offline check `pg_restore -f /dev/null DUMP` (a truncated dump passes `-l`).
/// </summary>
internal sealed class PostgresRestoreAction : AgentAction
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
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"{Check(context).CommandLine}\n{Restore(context).CommandLine}");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var check = await context.RunAsync(Check(context), cancellationToken).ConfigureAwait(false);
        if (!check.Succeeded)
        {
            throw new ActionFailedException($"dump {_dump} failed the offline check (pg_restore -f /dev/null, exit {check.ExitCode}): {check.CombinedOutput}; nothing restored");
        }

        await context.RunCheckedAsync(Restore(context), cancellationToken).ConfigureAwait(false);
        return $"restored {_dump}";
    }

    private ToolInvocation Check(ActionContext context) =>
        new() { FileName = context.Options.Tools.PgRestore, Arguments = ["-f", "/dev/null", _dump] };

    private ToolInvocation Restore(ActionContext context) => new()
    {
        FileName = context.Options.Tools.PgRestore,
        Arguments = ["--clean", "--if-exists", "--single-transaction", "--exit-on-error", "-d", _connection, _dump],
    };
}
