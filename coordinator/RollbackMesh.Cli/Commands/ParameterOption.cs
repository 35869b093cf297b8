using System.CommandLine;

namespace RollbackMesh.Cli.Commands;

/// <summary>The repeatable `--param name=value` option of plan and apply.</summary>
internal static class ParameterOption
{
    public static Option<string[]> Create() => new("--param", "-p")
    {
        Description = "A runbook parameter as name=value; repeat for several.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Parses name=value pairs.</summary>
    /// <exception cref="CliUsageException">A pair has no '=' or an empty name, or a name is given twice.</exception>
    public static Dictionary<string, string> Parse(IEnumerable<string>? pairs)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw new CliUsageException($"--param '{pair}' is not name=value.");
            }

            var name = pair[..separator].Trim();
            if (!parameters.TryAdd(name, pair[(separator + 1)..]))
            {
                throw new CliUsageException($"--param '{name}' is given more than once.");
            }
        }

        return parameters;
    }
}
