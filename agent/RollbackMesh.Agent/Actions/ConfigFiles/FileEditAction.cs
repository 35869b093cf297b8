using System.Text;
using RollbackMesh.Agent.Actions.Filesystem;

namespace RollbackMesh.Agent.Actions.ConfigFiles;

/// <summary>
/// An edit of one text file computed from its current content. Dry run is the unified diff; "already done"
/// means the edit changes nothing; execution backs the file up first and then replaces it atomically.
/// </summary>
internal abstract class FileEditAction : AgentAction
{
    /// <summary>Creates the edit for an already confined path.</summary>
    protected FileEditAction(string path) => FilePath = path;

    /// <summary>The (resolved) file being edited.</summary>
    protected string FilePath { get; }

    /// <summary>The new content for <paramref name="current"/>; may throw <see cref="ActionFailedException"/>.</summary>
    protected abstract string Edit(string current);

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var current = Read();
        var diff = UnifiedDiff.Create(current, Edit(current), FilePath);
        return Task.FromResult(diff.Length == 0 ? $"{FilePath}: no change" : diff);
    }

    /// <inheritdoc />
    public override Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var current = Read();
        return Task.FromResult(Edit(current) == current);
    }

    /// <inheritdoc />
    public override Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var current = Read();
        var updated = Edit(current);
        var diff = UnifiedDiff.Create(current, updated, FilePath);
        var backup = context.Quarantine.Backup(FilePath);
        context.Output($"backed up {FilePath} -> {backup}");
        AtomicFile.Write(FilePath, Encoding.UTF8.GetBytes(updated));
        foreach (var line in diff.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            context.Output(line);
        }

        return Task.FromResult($"edited {FilePath} (backup {backup})");
    }

    /// <inheritdoc />
    public override Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        IsAlreadyDoneAsync(context, cancellationToken);

    private string Read() =>
        File.Exists(FilePath) ? File.ReadAllText(FilePath) : throw new ActionFailedException($"{FilePath} does not exist");
}
