namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>Paths of the repository the tests run from (found upward from the test assembly).</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> RootValue = new(FindRoot);

    /// <summary>The directory holding RollbackMesh.sln.</summary>
    public static string Root => RootValue.Value;

    /// <summary>tests/testbeds/nspawn: the shell side of the testbed.</summary>
    public static string TestbedScripts => Path.Combine(Root, "tests", "testbeds", "nspawn");

    /// <summary>packaging/build.sh.</summary>
    public static string BuildScript => Path.Combine(Root, "packaging", "build.sh");

    /// <summary>The &lt;Version&gt; of Directory.Build.props: the version build.sh stamps by default.</summary>
    public static string ProductVersion
    {
        get
        {
            var props = File.ReadAllText(Path.Combine(Root, "Directory.Build.props"));
            var start = props.IndexOf("<Version>", StringComparison.Ordinal) + "<Version>".Length;
            return props[start..props.IndexOf("</Version>", start, StringComparison.Ordinal)].Trim();
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RollbackMesh.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RollbackMesh.sln not found above " + AppContext.BaseDirectory);
    }
}
