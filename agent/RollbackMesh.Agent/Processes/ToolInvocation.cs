namespace RollbackMesh.Agent.Processes;

/// <summary>
/// One run of an allow-listed tool: an executable path and an argument vector. Arguments are passed as a
/// list (never through a shell), so no value in a step can be interpreted as shell syntax.
/// </summary>
internal sealed record ToolInvocation
{
    /// <summary>Absolute path of the executable, taken from <see cref="Actions.ToolPaths"/>.</summary>
    public required string FileName { get; init; }

    /// <summary>The argument vector, each element passed verbatim.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra environment variables for the child (added to the agent's own environment).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Environment variables that carry secrets (a K3s token). The child gets them like <see cref="Environment"/>, but
    /// <see cref="CommandLine"/> masks their values, so they never reach an error, the journal or a log; unlike an
    /// argument they are also not readable by other local users in /proc/PID/cmdline.
    /// </summary>
    public IReadOnlyDictionary<string, string> SecretEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Working directory; null means the agent's own.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The command line as a human would type it, used in dry runs and logs.</summary>
    public string CommandLine
    {
        get
        {
            var env = Environment.Select(kv => $"{kv.Key}={Quote(kv.Value)}")
                .Concat(SecretEnvironment.Keys.Select(key => $"{key}={Masked}"));
            return string.Join(' ', env.Append(FileName).Concat(Arguments.Select(Quote)));
        }
    }

    /// <summary>What <see cref="CommandLine"/> shows in place of a secret value.</summary>
    public const string Masked = "********";

    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
