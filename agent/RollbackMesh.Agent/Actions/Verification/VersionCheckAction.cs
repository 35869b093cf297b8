using System.Text.RegularExpressions;
using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Verification;

/// <summary>
/// The tool's version output (`TOOL --version`, `calicoctl version`, ... see <see cref="VersionCommand"/>) must match a
/// pattern (e.g. calico-felix says v2.6.x). Read-only.
/// </summary>
internal sealed class VersionCheckAction : AgentAction
{
    private readonly string _tool;
    private readonly string _toolPath;
    private readonly Regex _expected;
    private readonly VersionCommand _command;

    /// <summary>Creates the check for an allow-listed tool and a compiled pattern.</summary>
    public VersionCheckAction(string tool, string toolPath, Regex expected)
    {
        _tool = tool;
        _toolPath = toolPath;
        _expected = expected;
        _command = VersionCommand.For(tool);
    }

    /// <inheritdoc />
    public override string Kind => "version_check";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"{_toolPath} {string.Join(' ', _command.Arguments)} must match /{_expected}/");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunAsync(new ToolInvocation { FileName = _toolPath, Arguments = [.. _command.Arguments] }, cancellationToken).ConfigureAwait(false);
        var output = result.CombinedOutput;
        var relevant = _command.Relevant(output);
        if (!result.Succeeded && (_command.ClientLinePrefix is null || relevant is null))
        {
            throw new ActionFailedException($"{_command.Display(_tool)} exited {result.ExitCode}: {output}");
        }

        if (relevant is null)
        {
            throw new ActionFailedException($"{_command.Display(_tool)} printed no '{_command.ClientLinePrefix}' line: {output}");
        }

        var match = _expected.Match(relevant);
        if (!match.Success)
        {
            throw new ActionFailedException($"{_command.Display(_tool)} printed '{relevant.Split('\n')[0]}', which does not match /{_expected}/");
        }

        return $"{_tool} version {match.Value}";
    }
}
