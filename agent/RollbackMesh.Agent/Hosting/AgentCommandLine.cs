namespace RollbackMesh.Agent.Hosting;

/// <summary>The agent's command line: `rollbackmesh-agent [--config FILE]`.</summary>
/// <param name="ConfigPath">The configuration file; /etc/rollbackmesh/agent.yaml by default.</param>
internal sealed record AgentCommandLine(string ConfigPath)
{
    /// <summary>Where the configuration lives when --config is not given.</summary>
    public const string DefaultConfigPath = "/etc/rollbackmesh/agent.yaml";

    /// <summary>The usage text printed for a bad command line.</summary>
    public const string Usage = "usage: rollbackmesh-agent [--config FILE]";

    /// <summary>Parses <paramref name="args"/>; null with <paramref name="error"/> set when they are not valid.</summary>
    public static AgentCommandLine? TryParse(IReadOnlyList<string> args, out string? error)
    {
        var configPath = DefaultConfigPath;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--config=", StringComparison.Ordinal))
            {
                configPath = arg["--config=".Length..];
            }
            else if (arg is "--config" or "-c" && i + 1 < args.Count)
            {
                configPath = args[++i];
            }
            else
            {
                error = $"unexpected argument '{arg}'\n{Usage}";
                return null;
            }
        }

        if (configPath.Length == 0)
        {
            error = "--config needs a file name\n" + Usage;
            return null;
        }

        error = null;
        return new AgentCommandLine(Path.GetFullPath(configPath));
    }
}
