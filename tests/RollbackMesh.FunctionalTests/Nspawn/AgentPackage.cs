namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// The agent .deb the testbed installs: the one named by ROLLBACKMESH_AGENT_DEB when set (e.g. a CI step built it
/// already), otherwise built here by packaging/build.sh --only agent --deb-only into out/ (an incremental publish
/// after the first run).
/// </summary>
public static class AgentPackage
{
    /// <summary>Environment variable naming a prebuilt agent .deb.</summary>
    public const string PathVariable = "ROLLBACKMESH_AGENT_DEB";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Returns the path of the agent .deb at the product version, building it when needed.</summary>
    public static async Task<string> LocateOrBuildAsync()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new FileNotFoundException($"{PathVariable} names a missing file", given);
        }

        return await BuildAsync(RepositoryLayout.ProductVersion, skipPublish: false).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs build.sh for the agent .deb at <paramref name="version"/>; with <paramref name="skipPublish"/> it
    /// repackages the binaries already published (the package lifecycle test's "higher version").
    /// </summary>
    public static async Task<string> BuildAsync(string version, bool skipPublish)
    {
        var output = Path.Combine(RepositoryLayout.Root, "out");
        List<string> arguments = [RepositoryLayout.BuildScript, "--only", "agent", "--deb-only", "--version", version, "--out", output];
        if (skipPublish)
        {
            arguments.Add("--skip-publish");
        }

        var result = await ProcessRunner.RunAsync("bash", arguments, timeout: BuildTimeout).ConfigureAwait(false);
        result.EnsureSuccess();
        var deb = Path.Combine(output, $"rollbackmesh-agent_{version}_amd64.deb");
        return File.Exists(deb) ? deb : throw new FileNotFoundException("build.sh succeeded but produced no " + deb, deb);
    }

    /// <summary>The product version with its patch number raised by one: a version dpkg orders after it.</summary>
    public static string NextPatchVersion(string version)
    {
        var parts = version.Split('.');
        parts[^1] = (int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture) + 1)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join('.', parts);
    }
}
