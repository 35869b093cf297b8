namespace RollbackMesh.Demo;

/// <summary>A K3s release as the stand-in k3s binary reports it (`k3s --version`).</summary>
/// <param name="Version">The K3s version, e.g. v1.28.5+k3s1.</param>
/// <param name="Commit">The short commit hash printed after the version.</param>
/// <param name="GoVersion">The Go version printed on the second line.</param>
internal sealed record K3sRelease(string Version, string Commit, string GoVersion)
{
    /// <summary>The version the sandbox fleet runs before the rollback.</summary>
    public static K3sRelease Current { get; } = new("v1.29.1+k3s2", "57482a1c", "go1.21.6");

    /// <summary>The version the demo rolls back to (its binary sits in the air-gap artifact directory).</summary>
    public static K3sRelease Previous { get; } = new("v1.28.5+k3s1", "5b2d1271", "go1.20.12");
}
