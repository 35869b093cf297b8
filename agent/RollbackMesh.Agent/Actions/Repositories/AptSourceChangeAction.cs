using System.Text;
using RollbackMesh.Agent.Actions.ConfigFiles;
using RollbackMesh.Agent.Actions.Filesystem;

namespace RollbackMesh.Agent.Actions.Repositories;

/// <summary>
/// Removes an apt sources list (moved into the quarantine, not deleted) or writes one with the given content
/// (an existing file is backed up first).
/// </summary>
internal sealed class AptSourceChangeAction : AgentAction
{
    private readonly string _path;
    private readonly bool _remove;
    private readonly string _content;

    /// <summary>Creates the change for a confined path.</summary>
    public AptSourceChangeAction(string path, bool remove, string content)
    {
        _path = path;
        _remove = remove;
        _content = content.Length == 0 || content.EndsWith('\n') ? content : content + "\n";
    }

    /// <inheritdoc />
    public override string Kind => "apt_source";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var current = File.Exists(_path) ? File.ReadAllText(_path) : string.Empty;
        var diff = UnifiedDiff.Create(current, _remove ? string.Empty : _content, _path);
        var head = _remove ? $"move {_path} into quarantine {context.Options.QuarantineDirectory}\n" : string.Empty;
        return Task.FromResult(diff.Length == 0 ? $"{_path}: no change" : head + diff);
    }

    /// <inheritdoc />
    public override Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(_remove ? !File.Exists(_path) : File.Exists(_path) && File.ReadAllText(_path) == _content);

    /// <inheritdoc />
    public override Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (_remove)
        {
            var moved = context.Quarantine.MoveAside(_path);
            context.Output($"moved {_path} -> {moved}");
            return Task.FromResult($"removed {_path} (kept at {moved})");
        }

        if (File.Exists(_path))
        {
            context.Output($"backed up {_path} -> {context.Quarantine.Backup(_path)}");
        }

        AtomicFile.Write(_path, Encoding.UTF8.GetBytes(_content));
        return Task.FromResult($"wrote {_path}");
    }

    /// <inheritdoc />
    public override Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        IsAlreadyDoneAsync(context, cancellationToken);
}
