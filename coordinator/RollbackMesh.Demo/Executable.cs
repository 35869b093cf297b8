namespace RollbackMesh.Demo;

/// <summary>How to start one of RollbackMesh's programs: its file, plus leading arguments when it runs through the dotnet host.</summary>
/// <param name="FileName">The apphost, or the dotnet host.</param>
/// <param name="LeadingArguments">Empty for an apphost; the .dll for the dotnet host.</param>
internal sealed record Executable(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>
    /// Finds <paramref name="name"/> (rollbackmesh-coordinator, rollbackmesh-demo) beside this program: the build
    /// output of a referenced program project lands in the referencing one's (the demo's, the functional tests').
    /// Prefers the apphost, else runs the .dll with the dotnet host that runs this process.
    /// </summary>
    /// <exception cref="DemoPrerequisiteException">Neither is there.</exception>
    public static Executable Beside(string name)
    {
        var directory = AppContext.BaseDirectory;
        var apphost = Path.Combine(directory, name);
        if (File.Exists(apphost))
        {
            return new Executable(apphost, []);
        }

        var dll = Path.Combine(directory, name + ".dll");
        if (File.Exists(dll))
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return new Executable(string.IsNullOrEmpty(host) ? "dotnet" : host, [dll]);
        }

        throw new DemoPrerequisiteException($"{name} is not beside the demo in {directory}; build coordinator/RollbackMesh.Demo (it builds {name} too).");
    }
}
