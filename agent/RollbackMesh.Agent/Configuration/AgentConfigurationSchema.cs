namespace RollbackMesh.Agent.Configuration;

/// <summary>
/// The keys agent.yaml may contain (dotted camelCase paths, sequence indexes as [n]), taken from the options tree's
/// property names with nameof: the generated binder offers no key list, and reflection would not survive NativeAOT
/// trimming. A property without its key here is refused as unknown, which the schema test catches. Children of
/// free-form maps (labels, toolPaths) and sequence items are not checked.
/// </summary>
internal static class AgentConfigurationSchema
{
    private static readonly HashSet<string> KnownKeys = new[]
    {
        nameof(AgentOptions.NodeName), nameof(AgentOptions.Cluster), nameof(AgentOptions.Roles), nameof(AgentOptions.Labels), nameof(AgentOptions.Coordinator),
        nameof(AgentOptions.AllowedRoots), nameof(AgentOptions.WatchedUnits), nameof(AgentOptions.Packages),
        nameof(AgentOptions.DataDirectories), nameof(AgentOptions.JournalPath), nameof(AgentOptions.QuarantinePath),
        nameof(AgentOptions.BackupPath), nameof(AgentOptions.PackageManager), nameof(AgentOptions.HealthInterval),
        nameof(AgentOptions.K3sDataDir), nameof(AgentOptions.K3sConfigFile), nameof(AgentOptions.K3sUnitFiles),
        nameof(AgentOptions.SystemBusAddress), nameof(AgentOptions.ToolPaths), nameof(AgentOptions.LogFile), nameof(AgentOptions.LogLevel),
    }
        .Concat(Under(nameof(AgentOptions.Coordinator), nameof(CoordinatorOptions.Address), nameof(CoordinatorOptions.Insecure),
            nameof(CoordinatorOptions.Tls), nameof(CoordinatorOptions.Token), nameof(CoordinatorOptions.KeepAliveInterval),
            nameof(CoordinatorOptions.KeepAliveTimeout)))
        .Concat(Under(nameof(AgentOptions.Coordinator) + "." + nameof(CoordinatorOptions.Tls), nameof(TlsOptions.Ca), nameof(TlsOptions.Cert), nameof(TlsOptions.Key)))
        .Concat(Under(nameof(AgentOptions.PackageManager), nameof(PackageManagerSettings.AptConfigFile),
            nameof(PackageManagerSettings.DpkgAdminDirectory), nameof(PackageManagerSettings.InstallRoot),
            nameof(PackageManagerSettings.ReleaseVersion), nameof(PackageManagerSettings.DnfConfigFile)))
        .Select(ToCamelCase)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static readonly string[] FreeFormMaps = [.. new[] { nameof(AgentOptions.Labels), nameof(AgentOptions.ToolPaths) }.Select(m => ToCamelCase(m) + ".")];

    // Bound to a bool: checked while loading, because the binder would stop at the first bad one.
    private static readonly string InsecureKey = ToCamelCase(nameof(AgentOptions.Coordinator) + "." + nameof(CoordinatorOptions.Insecure));

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
    public static bool IsBoolean(string dottedPath) => string.Equals(dottedPath, InsecureKey, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Under(string parent, params string[] children) => children.Select(child => parent + "." + child);

    private static string ToCamelCase(string dotted) =>
        string.Join('.', dotted.Split('.').Select(part => char.ToLowerInvariant(part[0]) + part[1..]));
}
