using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace RollbackMesh.Coordinator.Storage;

/// <summary>
/// The coordinator's SQLite file (WAL, <c>synchronous=FULL</c>): known nodes, runs with their plans, step states and
/// the audit log. Writes go through one writer that commits whatever is queued in a single transaction (group
/// commit); every write's task completes only after its transaction is durable, so a caller that awaits a write
/// before acting keeps the "written before acted on" rule while a wave of a hundred dispatches costs one fsync.
/// Reads use a second connection, which WAL lets run beside the writer.
/// </summary>
internal sealed partial class CoordinatorStore : IAsyncDisposable
{
    private const int MaxBatch = 2000;

    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly Lock _readLock = new();
    private readonly Channel<PendingWrite> _queue =
        Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writerLoop;

    private CoordinatorStore(string path)
    {
        Path = path;
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        _writer = new SqliteConnection(connectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL;");
        Execute(_writer, "PRAGMA synchronous=FULL;");
        Execute(_writer, "PRAGMA busy_timeout=5000;");
        try
        {
            Execute(_writer, StoreSchema.Sql);
            Migrate(_writer);
        }
        catch
        {
            _writer.Dispose();
            throw;
        }

        _reader = new SqliteConnection(connectionString);
        _reader.Open();
        Execute(_reader, "PRAGMA busy_timeout=5000;");
        _writerLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    public static CoordinatorStore Open(string path) => new(path);

    /// <summary>
    /// Queues <paramref name="write"/> (run inside the writer's transaction) and completes once it is committed.
    /// Writes commit in the order they were queued.
    /// </summary>
    public Task WriteAsync(Action<SqliteConnection> write)
    {
        var pending = new PendingWrite(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(CoordinatorStore));
        }

        return pending.Done.Task;
    }

    /// <summary>Runs <paramref name="read"/> on the read connection (serialised: one reader at a time).</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        lock (_readLock)
        {
            return read(_reader);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        _writer.Dispose();
        lock (_readLock)
        {
            _reader.Dispose();
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        try
        {
            ApplyInTransaction(batch);
            foreach (var write in batch)
            {
                write.Done.TrySetResult();
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // One bad write must not fail its neighbours: redo them one transaction each.
            foreach (var write in batch)
            {
                Commit([write]);
            }
        }
        catch (Exception ex)
        {
            batch[0].Done.TrySetException(ex);
        }
    }

    private void ApplyInTransaction(List<PendingWrite> batch)
    {
        using var transaction = _writer.BeginTransaction();
        foreach (var write in batch)
        {
            write.Apply(_writer);
        }

        transaction.Commit();
    }

    /// <summary>Applies the migrations this file has not had yet, each in its own transaction with its version.</summary>
    private static void Migrate(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > StoreSchema.Migrations.Count)
        {
            throw new InvalidDataException(
                $"The coordinator database {connection.DataSource} is at schema version {version}, newer than this coordinator knows ({StoreSchema.Migrations.Count}); run a newer coordinator.");
        }

        for (var next = version; next < StoreSchema.Migrations.Count; next++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = StoreSchema.Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed record PendingWrite(Action<SqliteConnection> Apply, TaskCompletionSource Done);
}
