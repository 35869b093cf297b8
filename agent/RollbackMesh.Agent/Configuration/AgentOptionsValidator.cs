using Microsoft.Extensions.Options;

namespace RollbackMesh.Agent.Configuration;

/// <summary>
/// Checks the whole <see cref="AgentOptions"/> and reports every problem at once (plus the problems found
/// while reading agent.yaml), so one failed start tells the operator everything to fix.
/// </summary>
internal sealed partial class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    private static readonly HashSet<string> KnownLogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "Information", "Warning", "Error", "Fatal",
    };

    private readonly ConfigFileResult? _file;

    /// <summary>Creates the validator; <paramref name="file"/> carries problems found while reading the file.</summary>
    public AgentOptionsValidator(ConfigFileResult? file = null) => _file = file;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var problems = new List<string>(_file?.Problems ?? []);
        problems.AddRange(Check(options));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem in <paramref name="options"/>, each naming its YAML key.</summary>
    public static IEnumerable<string> Check(AgentOptions options)
    {
        if (!ValueShapes.IsNodeName(options.NodeName))
        {
            yield return $"nodeName: '{options.NodeName}' is not a valid node name (lowercase letters, digits, '-' and '.', at most 253 characters)";
        }

        if (options.Roles.Count > 0 && string.IsNullOrEmpty(options.Cluster))
        {
            yield return $"cluster: required for the roles {string.Join(", ", options.Roles)} (the K3s cluster or OpenStack region this node belongs to, e.g. cluster: edge-01)";
        }
        else if (!string.IsNullOrEmpty(options.Cluster) && !ClusterNames.IsValid(options.Cluster))
        {
            yield return $"cluster: '{options.Cluster}' is not a valid cluster name ({ClusterNames.Shape})";
        }

        if (options.Roles.Count == 0)
        {
            yield return $"roles: at least one role is required ({string.Join(", ", NodeRoles.All)})";
        }

        foreach (var role in options.Roles.Where(r => !NodeRoles.IsKnown(r)))
        {
            yield return $"roles: unknown role '{role}' (expected {string.Join(", ", NodeRoles.All.SkipLast(1))} or {NodeRoles.All[^1]})";
        }

        if (options.Roles.Contains(NodeRoles.Server) && options.Roles.Contains(NodeRoles.Agent))
        {
            yield return "roles: a node is either a K3s server or a K3s agent, not both";
        }

        foreach (var problem in CheckCoordinator(options.Coordinator).Concat(CheckPackageManager(options.PackageManager)))
        {
            yield return problem;
        }

        foreach (var (key, path) in AbsolutePaths(options))
        {
            if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
            {
                yield return $"{key}: '{path}' must be an absolute path";
            }
        }

        if (!Durations.TryParse(options.HealthInterval, out var interval) || interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromHours(1))
        {
            yield return $"healthInterval: '{options.HealthInterval}' must be a duration between 1s and 1h (e.g. 10s)";
        }

        if (!KnownLogLevels.Contains(options.LogLevel))
        {
            yield return $"logLevel: '{options.LogLevel}' is not one of Verbose, Debug, Information, Warning, Error, Fatal";
        }

        if (!options.SystemBusAddress.StartsWith("unix:", StringComparison.Ordinal))
        {
            yield return $"systemBusAddress: '{options.SystemBusAddress}' must be a unix: D-Bus address";
        }
    }

    private static IEnumerable<(string Key, string? Path)> AbsolutePaths(AgentOptions options)
    {
        yield return ("journalPath", options.JournalPath);
        yield return ("quarantinePath", options.QuarantinePath);
        yield return ("backupPath", options.BackupPath);
        yield return ("k3sDataDir", options.K3sDataDir);
        yield return ("k3sConfigFile", options.K3sConfigFile);
        for (var i = 0; i < options.AllowedRoots.Count; i++)
        {
            yield return ($"allowedRoots[{i}]", options.AllowedRoots[i]);
        }

        for (var i = 0; i < options.DataDirectories.Count; i++)
        {
            yield return ($"dataDirectories[{i}]", options.DataDirectories[i]);
        }

        foreach (var (tool, path) in options.ToolPaths)
        {
            yield return ($"toolPaths.{tool}", path);
        }

        if (options.LogFile is not null)
        {
            yield return ("logFile", options.LogFile);
        }
    }
}
