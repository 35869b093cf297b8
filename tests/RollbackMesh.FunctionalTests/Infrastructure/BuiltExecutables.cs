namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>
/// The executables as built next to this test assembly (the test project references their projects, so the build
/// copies each one's dll, deps.json and runtimeconfig.json here). Run with <c>dotnet &lt;dll&gt;</c>.
/// </summary>
internal static class BuiltExecutables
{
    public static string Coordinator => Find("rollbackmesh-coordinator.dll");

    public static string Agent => Find("rollbackmesh-agent.dll");

    public static string Cli => Find("rollbackmesh.dll");

    /// <summary>The demo; also the sandbox agent of a simulated node (<c>sandbox-agent --root DIR --config FILE</c>).</summary>
    public static string Demo => Find("rollbackmesh-demo.dll");

    /// <summary>The repository root (holding RollbackMesh.sln), found by walking up from the test output.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RollbackMesh.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"No RollbackMesh.sln above {AppContext.BaseDirectory}.");
        }
    }

    private static string Find(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{file} is not in the test output; build the test project (it references the executable's project).", path);
    }
}
