using System.Text.RegularExpressions;
using RollbackMesh.Agent.Health;
using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Verification;

/// <summary>
/// The tool's version output (`TOOL --version`, `calicoctl version`, ... see <see cref="VersionCommand"/>) must match a
/// pattern (e.g. calico-felix says v2.6.x). The pattern must match a whole version token of the output (see
/// <see cref="VersionText"/>), as if written ^(?:pattern)$: `v1\.29\.4\+k3s1` accepts "k3s version v1.29.4+k3s1 (...)" and
/// refuses v1.29.4+k3s10 and v1.29.4+k3s1-rc1, which a search anywhere in the output would have accepted. A pattern that
/// means to accept more says so (`v1\.29\.4\+k3s1(-rc\d+)?`). Read-only.
/// </summary>
internal sealed class VersionCheckAction : AgentAction
{
    private readonly string _tool;
    private readonly string _toolPath;
    private readonly string _pattern;
    private readonly Regex _token;
    private readonly VersionCommand _command;

    /// <summary>
    /// Creates the check for an allow-listed tool; <paramref name="anchored"/> is <paramref name="pattern"/> compiled
    /// by <see cref="Anchor"/>.
    /// </summary>
    public VersionCheckAction(string tool, string toolPath, string pattern, Regex anchored)
    {
        _tool = tool;
        _toolPath = toolPath;
        _pattern = pattern;
        _token = anchored;
        _command = VersionCommand.For(tool);
    }

    /// <summary>
    /// Compiles a runbook's pattern so that it matches whole version tokens only. The pattern is parsed alone first:
    /// one like `a)|(b` is refused rather than wrapped into `^(?:a)|(b)$`, whose second branch is not anchored.
    /// </summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public static Regex Anchor(string pattern)
    {
        _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <inheritdoc />
    public override string Kind => "version_check";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"{_toolPath} {string.Join(' ', _command.Arguments)} must print a version matching /{_pattern}/ in full");

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

        var version = VersionText.FindAll(relevant).FirstOrDefault(_token.IsMatch);
        if (version is null)
        {
            throw new ActionFailedException($"{_command.Display(_tool)} printed '{relevant.Split('\n')[0]}', which does not match /{_pattern}/");
        }

        return $"{_tool} version {version}";
    }
}
