using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Actions.Packages;
using RollbackMesh.Agent.Configuration;

namespace RollbackMesh.Agent.Hosting;

/// <summary>Maps agent.yaml's settings onto the actions' options, so there is one configuration file for both.</summary>
internal static class ActionOptionsMapper
{
    /// <summary>The action options for <paramref name="options"/>; unnamed tools keep the actions' defaults.</summary>
    public static AgentActionOptions From(AgentOptions options)
    {
        var defaults = new AgentActionOptions();
        var tools = options.ToolPaths;
        var packages = options.PackageManager;
        string Tool(string name, string fallback) => tools.TryGetValue(name, out var path) ? path : fallback;
        var versionTools = new Dictionary<string, string>(defaults.Tools.VersionTools, StringComparer.Ordinal);
        foreach (var name in versionTools.Keys.ToList())
        {
            versionTools[name] = Tool(name, versionTools[name]);
        }

        return defaults with
        {
            AllowedRoots = options.AllowedRoots.Count > 0 ? options.AllowedRoots : defaults.AllowedRoots,
            QuarantineDirectory = options.QuarantinePath,
            BackupDirectory = options.BackupPath,
            K3sDbDirectory = Path.Combine(options.K3sDataDir, "server", "db"),
            Tools = defaults.Tools with
            {
                K3s = Tool("k3s", defaults.Tools.K3s),
                K3sKillAll = Tool("k3s-killall", defaults.Tools.K3sKillAll),
                Kubectl = Tool("kubectl", defaults.Tools.Kubectl),
                Helm = Tool("helm", defaults.Tools.Helm),
                Etcdctl = Tool("etcdctl", defaults.Tools.Etcdctl),
                CalicoUpgrade = Tool("calico-upgrade", defaults.Tools.CalicoUpgrade),
                PgRestore = Tool("pg_restore", defaults.Tools.PgRestore),
                PgDump = Tool("pg_dump", defaults.Tools.PgDump),
                Psql = Tool("psql", defaults.Tools.Psql),
                Sqlite3 = Tool("sqlite3", defaults.Tools.Sqlite3),
                VersionTools = versionTools,
            },
            Packages = defaults.Packages with
            {
                AptGet = Tool("apt-get", defaults.Packages.AptGet),
                AptCache = Tool("apt-cache", defaults.Packages.AptCache),
                DpkgQuery = Tool("dpkg-query", defaults.Packages.DpkgQuery),
                Rpm = Tool("rpm", defaults.Packages.Rpm),
                Dnf = Tool("dnf", defaults.Packages.Dnf),
                Yum = Tool("yum", defaults.Packages.Yum),
                AptConfigFile = packages.AptConfigFile,
                DpkgAdminDirectory = packages.DpkgAdminDirectory,
                InstallRoot = packages.InstallRoot,
                ReleaseVersion = packages.ReleaseVersion,
                DnfConfigFile = packages.DnfConfigFile,
            },
        };
    }
}
