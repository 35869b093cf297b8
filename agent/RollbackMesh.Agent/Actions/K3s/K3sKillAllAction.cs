using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.K3s;

/// <summary>Runs k3s-killall.sh (stops k3s and its containers, keeps data).</summary>
internal sealed class K3sKillAllAction : AgentAction
{
    private readonly string _script;

    /// <summary>Creates the action for a confined script path.</summary>
    public K3sKillAllAction(string script) => _script = script;

    /// <inheritdoc />
    public override string Kind => "k3s_killall";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Invocation(context).CommandLine);

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(_script))
        {
            throw new ActionFailedException($"{_script} does not exist");
        }

        await context.RunCheckedAsync(Invocation(context), cancellationToken).ConfigureAwait(false);
        return $"ran {_script}";
    }

    private ToolInvocation Invocation(ActionContext context) =>
        new() { FileName = context.Options.Tools.Shell, Arguments = [_script] };
}
