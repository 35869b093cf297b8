namespace RollbackMesh.Agent.Configuration;

/// <summary>
/// The keys agent.yaml may contain (dotted paths, sequence indexes as [n]). Children of free-form maps
/// (labels, toolPaths) and sequence items are not checked. Kept as data rather than reflection so it also
/// holds under NativeAOT trimming.
/// </summary>
internal static class AgentConfigurationSchema
{
    private static readonly HashSet<string> KnownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "nodeName", "roles", "labels", "coordinator", "allowedRoots", "watchedUnits", "packages", "dataDirectories",
        "journalPath", "quarantinePath", "backupPath", "healthInterval", "k3sDataDir", "k3sConfigFile", "k3sUnitFiles",
        "systemBusAddress", "toolPaths", "logFile", "logLevel", "sandbox", "sandbox.root",
        "coordinator.address", "coordinator.insecure", "coordinator.tls", "coordinator.keepAliveInterval",
        "coordinator.keepAliveTimeout", "coordinator.token", "coordinator.tls.ca", "coordinator.tls.cert", "coordinator.tls.key",
        "packageManager", "packageManager.aptConfigFile", "packageManager.dpkgAdminDirectory", "packageManager.installRoot",
        "packageManager.releaseVersion", "packageManager.dnfConfigFile",
    };

    private static readonly string[] FreeFormMaps = ["labels.", "toolPaths."];

    /// <summary>True when <paramref name="dottedPath"/> names a known key or lies inside a free-form map.</summary>
    public static bool IsKnown(string dottedPath)
    {
        if (dottedPath.Contains('[', StringComparison.Ordinal))
        {
            return true;
        }

        return KnownKeys.Contains(dottedPath)
            || FreeFormMaps.Any(prefix => dottedPath.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True for keys bound to a bool (checked while loading, because the binder would stop at the first bad one).</summary>
    public static bool IsBoolean(string dottedPath) => string.Equals(dottedPath, "coordinator.insecure", StringComparison.OrdinalIgnoreCase);
}
