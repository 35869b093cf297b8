namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>A fresh state directory for one sandbox fleet in the temp directory; kept when the test fails (for its logs), removed when it passes.</summary>
internal sealed class StateDirectory : IDisposable
{
    public StateDirectory(string prefix)
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    /// <summary>Set by the test at its end, so the directory is removed only after a pass.</summary>
    public bool Passed { get; set; }

    public void Dispose()
    {
        if (Passed)
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
