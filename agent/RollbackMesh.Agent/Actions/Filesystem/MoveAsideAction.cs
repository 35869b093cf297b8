namespace RollbackMesh.Agent.Actions.Filesystem;

/// <summary>Moves a file or directory aside into the quarantine (e.g. the K3s server db on the other servers).</summary>
internal sealed class MoveAsideAction : AgentAction
{
    private readonly string _path;

    /// <summary>Creates the action for an already confined path.</summary>
    public MoveAsideAction(string path) => _path = path;

    /// <inheritdoc />
    public override string Kind => "move_aside";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Path.Exists(_path)
            ? $"move {_path} into quarantine {context.Options.QuarantineDirectory} (rename, same filesystem)"
            : $"{_path} does not exist: nothing to move");

    /// <inheritdoc />
    public override Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(!Path.Exists(_path));

    /// <inheritdoc />
    public override Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var destination = context.Quarantine.MoveAside(_path);
        context.Output($"moved {_path} -> {destination}");
        return Task.FromResult($"moved {_path} to {destination}");
    }

    /// <inheritdoc />
    public override Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        IsAlreadyDoneAsync(context, cancellationToken);
}
