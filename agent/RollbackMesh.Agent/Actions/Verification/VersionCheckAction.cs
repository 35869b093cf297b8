using System.Text.RegularExpressions;
using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Verification;

/// <summary>`TOOL --version` output must match a pattern (e.g. calico-felix says v2.6.x). Read-only.</summary>
internal sealed class VersionCheckAction : AgentAction
{
    private readonly string _tool;
    private readonly string _toolPath;
    private readonly Regex _expected;

    /// <summary>Creates the check for an allow-listed tool and a compiled pattern.</summary>
    public VersionCheckAction(string tool, string toolPath, Regex expected)
    {
        _tool = tool;
        _toolPath = toolPath;
        _expected = expected;
    }

    /// <inheritdoc />
    public override string Kind => "version_check";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"{_toolPath} --version must match /{_expected}/");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunAsync(new ToolInvocation { FileName = _toolPath, Arguments = ["--version"] }, cancellationToken).ConfigureAwait(false);
        var output = result.CombinedOutput;
        if (!result.Succeeded)
        {
            throw new ActionFailedException($"{_tool} --version exited {result.ExitCode}: {output}");
        }

        var match = _expected.Match(output);
        if (!match.Success)
        {
            throw new ActionFailedException($"{_tool} --version printed '{output.Split('\n')[0]}', which does not match /{_expected}/");
        }

        return $"{_tool} version {match.Value}";
    }
}
