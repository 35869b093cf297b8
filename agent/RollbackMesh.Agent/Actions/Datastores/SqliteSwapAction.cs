using RollbackMesh.Agent.Actions.Filesystem;

namespace RollbackMesh.Agent.Actions.Datastores;

/// <summary>
/// K3s SQLite rollback: put the backup in place of state.db. The backup is copied next to the database first
/// and that copy must pass `PRAGMA integrity_check`; then the old database and its -wal/-shm/-journal files go
/// to the quarantine and the copy is renamed into place.
/// </summary>
internal sealed class SqliteSwapAction : AgentAction
{
    private static readonly string[] Sidecars = ["-wal", "-shm", "-journal"];
    private readonly string _database;
    private readonly string _backup;

    /// <summary>Creates the swap for confined paths.</summary>
    public SqliteSwapAction(string database, string backup)
    {
        _database = database;
        _backup = backup;
    }

    /// <inheritdoc />
    public override string Kind => "sqlite_swap";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"check PRAGMA integrity_check of {_backup} == ok; move {_database}{{,-wal,-shm,-journal}} into quarantine; "
            + $"copy {_backup} -> {_database} (temp + rename)");

    /// <inheritdoc />
    public override Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(_database) && File.Exists(_backup)
            && !Sidecars.Any(s => File.Exists(_database + s))
            && FileHashes.Sha256(_database) == FileHashes.Sha256(_backup));

    /// <inheritdoc />
    public override Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(_backup))
        {
            throw new ActionFailedException($"backup {_backup} does not exist");
        }

        var directory = Path.GetDirectoryName(_database)!;
        Directory.CreateDirectory(directory);
        var staged = Path.Combine(directory, $".{Path.GetFileName(_database)}.rollbackmesh-restore");
        AtomicFile.Copy(_backup, staged);
        if (SqliteIntegrity.Check(staged) is { } problem)
        {
            context.Quarantine.MoveAside(staged);
            throw new ActionFailedException($"backup {_backup} failed PRAGMA integrity_check: {problem}; database left untouched");
        }

        foreach (var path in Sidecars.Select(s => _database + s).Prepend(_database).Where(File.Exists))
        {
            context.Output($"moved {path} -> {context.Quarantine.MoveAside(path)}");
        }

        if (!NativeFile.TryRename(staged, _database))
        {
            throw new ActionFailedException($"rename {staged} -> {_database} crossed filesystems");
        }

        NativeFile.SyncDirectory(directory);
        return Task.FromResult($"restored {_database} from {_backup}");
    }

    /// <inheritdoc />
    public override async Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        await IsAlreadyDoneAsync(context, cancellationToken).ConfigureAwait(false) && SqliteIntegrity.Check(_database) is null;
}
