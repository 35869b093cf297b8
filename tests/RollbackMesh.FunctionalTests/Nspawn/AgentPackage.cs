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
        await RunBuildScriptAsync(version, skipPublish, "--deb-only").ConfigureAwait(false);
        return Existing(Path.Combine(Output, $"rollbackmesh-agent_{version}_amd64.deb"));
    }

    /// <summary>Runs build.sh for the agent .rpm only at <paramref name="version"/>; needs rpmbuild on the host.</summary>
    public static async Task<string> BuildRpmAsync(string version, bool skipPublish)
    {
        await RunBuildScriptAsync(version, skipPublish, "--rpm-only").ConfigureAwait(false);
        return Existing(Path.Combine(Output, $"rollbackmesh-agent-{version}-1.x86_64.rpm"));
    }

    private static string Output => Path.Combine(RepositoryLayout.Root, "out");

    private static async Task RunBuildScriptAsync(string version, bool skipPublish, string format)
    {
        List<string> arguments = [RepositoryLayout.BuildScript, "--only", "agent", format, "--fast", "--version", version, "--out", Output];
        if (skipPublish)
        {
            arguments.Add("--skip-publish");
        }

        (await ProcessRunner.RunAsync("bash", arguments, timeout: BuildTimeout).ConfigureAwait(false)).EnsureSuccess();
    }

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException("build.sh succeeded but produced no " + path, path);

    /// <summary>The product version with its patch number raised by one: a version dpkg orders after it.</summary>
    public static string NextPatchVersion(string version)
    {
        var parts = version.Split('.');
        parts[^1] = (int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture) + 1)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join('.', parts);
    }
}
