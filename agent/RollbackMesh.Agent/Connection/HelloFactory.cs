using System.Reflection;
using System.Runtime.InteropServices;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Health;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Connection;

/// <summary>
/// Builds the Hello the agent sends first on every stream: who it is (node name, roles, labels), what it runs
/// (agent version, supported action kinds) and facts about the node (os, arch, K3s datastore, which tools exist).
/// </summary>
internal sealed class HelloFactory
{
    private readonly AgentOptions _options;
    private readonly IStepExecutor _executor;
    private readonly DatastoreProbe _datastore;
    private readonly string _osReleasePath;

    /// <summary>Creates the factory; <paramref name="osReleasePath"/> is /etc/os-release outside tests.</summary>
    public HelloFactory(AgentOptions options, IStepExecutor executor, string osReleasePath = "/etc/os-release")
    {
        _options = options;
        _executor = executor;
        _datastore = new DatastoreProbe(options.K3sDataDir, [options.K3sConfigFile, .. options.EffectiveK3sUnitFiles]);
        _osReleasePath = osReleasePath;
    }

    /// <summary>The Hello fact naming the agent's quarantine directory.</summary>
    public const string QuarantinePathFact = "quarantine_path";

    /// <summary>The agent's version (informational version of this assembly, without the source revision).</summary>
    public static string AgentVersion { get; } =
        (typeof(HelloFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];

    /// <summary>A fresh Hello (facts are re-read each time: the datastore may have changed since the last connect).</summary>
    public Hello Create()
    {
        var hello = new Hello { NodeName = _options.NodeName, Cluster = _options.Cluster, AgentVersion = AgentVersion };
        hello.Roles.AddRange(_options.Roles);
        hello.Labels.Add(_options.Labels);
        hello.Capabilities.AddRange(_executor.SupportedActionKinds);
        hello.Facts["os"] = OsName();
        hello.Facts["kernel"] = Environment.OSVersion.Version.ToString();
        hello.Facts["arch"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        hello.Facts["datastore"] = DatastoreName(_datastore.Probe(new List<string>()));
        // The coordinator checks this path's free space in preflight (health reports carry its disk).
        hello.Facts[QuarantinePathFact] = _options.QuarantinePath;
        foreach (var (tool, path) in _options.ToolPaths.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            hello.Facts["tool." + tool] = File.Exists(path) ? "present" : "absent";
        }

        return hello;
    }

    /// <summary>The fact value for a datastore kind: sqlite, embedded-etcd, external, none.</summary>
    public static string DatastoreName(DatastoreKind kind) => kind switch
    {
        DatastoreKind.Sqlite => "sqlite",
        DatastoreKind.EmbeddedEtcd => "embedded-etcd",
        DatastoreKind.External => "external",
        DatastoreKind.None => "none",
        _ => "unknown",
    };

    // "debian 12" / "rhel 8.9" from os-release (ID, VERSION_ID); falls back to the runtime's description.
    private string OsName()
    {
        try
        {
            var fields = File.ReadAllLines(_osReleasePath)
                .Select(line => line.Split('=', 2))
                .Where(parts => parts.Length == 2)
                .DistinctBy(parts => parts[0], StringComparer.Ordinal)
                .ToDictionary(parts => parts[0], parts => parts[1].Trim('"'), StringComparer.Ordinal);
            if (fields.TryGetValue("ID", out var id))
            {
                return fields.TryGetValue("VERSION_ID", out var version) ? $"{id} {version}" : id;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not every system has os-release; the runtime description is good enough.
        }

        return RuntimeInformation.OSDescription;
    }
}
