using System.CommandLine;
using System.Text;

namespace RollbackMesh.Cli.Commands;

/// <summary>
/// The repeatable `--param name=value` and `--param-file name=path` options of plan and apply. A value read from a
/// file never appears on the command line, so a secret stays out of `ps` and the shell history.
/// </summary>
internal static class ParameterOption
{
    // What the coordinator shows instead of a secret parameter's value (Plan.SecretMask).
    private const string SecretMask = "(secret)";

    // A parameter value is a line or a short text; a larger file is certainly the wrong one.
    private const int MaxFileBytes = 64 * 1024;

    public static Option<string[]> Create() => new("--param", "-p")
    {
        Description = "A runbook parameter as name=value; repeat for several.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string[]> CreateFile() => new("--param-file")
    {
        Description = "A runbook parameter as name=path: the value is the file's content, trailing newlines trimmed. " +
                      "Use it for secrets, which then never appear on the command line; repeat for several.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Parses name=value pairs and reads name=path files.</summary>
    /// <exception cref="CliUsageException">A pair has no '=' or an empty name, a name is given twice, or a file cannot be read.</exception>
    public static SuppliedParameters Parse(IEnumerable<string>? pairs, IEnumerable<string>? filePairs = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Split(pairs, "--param"))
        {
            Add(values, name, value);
        }

        foreach (var (name, path) in Split(filePairs, "--param-file"))
        {
            Add(values, name, Read(name, path));
            files[name] = path;
        }

        return new SuppliedParameters(values, files);
    }

    private static IEnumerable<(string Name, string Value)> Split(IEnumerable<string>? pairs, string option)
    {
        foreach (var pair in pairs ?? [])
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || pair[..separator].Trim().Length == 0)
            {
                throw new CliUsageException($"{option} '{pair}' is not name={(option == "--param" ? "value" : "path")}.");
            }

            yield return (pair[..separator].Trim(), pair[(separator + 1)..]);
        }
    }

    private static void Add(Dictionary<string, string> values, string name, string value)
    {
        if (!values.TryAdd(name, value))
        {
            throw new CliUsageException($"parameter '{name}' is given more than once (--param and --param-file count together).");
        }
    }

    // The messages name the parameter and the file, never the content.
    private static string Read(string name, string path)
    {
        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                throw new CliUsageException($"--param-file {name}: {path} is larger than {MaxFileBytes} bytes.");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--param-file {name}: cannot read {path}: {ex.Message}");
        }

        // As $(cat FILE) would: the newline an editor or `echo` leaves at the end is not part of the value.
        var value = Encoding.UTF8.GetString(bytes).TrimEnd('\n', '\r');
        if (value.Length == 0)
        {
            throw new CliUsageException($"--param-file {name}: {path} is empty.");
        }

        return value;
    }

    /// <summary>The parameters given on the command line, and which of them came from files.</summary>
    internal sealed record SuppliedParameters(Dictionary<string, string> Values, Dictionary<string, string> Files)
    {
        /// <summary>
        /// The parameter options that repeat this plan for `apply`: a file stays a file, and a value the coordinator
        /// masked as secret is never echoed back (the operator is pointed at --param-file instead).
        /// </summary>
        public string ApplyArguments(IReadOnlyDictionary<string, string> shown) => string.Concat(
            Values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
                Files.TryGetValue(p.Key, out var path) ? $" --param-file {p.Key}={path}"
                : shown.TryGetValue(p.Key, out var masked) && masked == SecretMask ? $" --param-file {p.Key}=<file holding it>"
                : $" --param {p.Key}={p.Value}"));
    }
}
