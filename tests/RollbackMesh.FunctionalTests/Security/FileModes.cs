namespace RollbackMesh.FunctionalTests.Security;

/// <summary>File permission checks (these tests run on Linux only).</summary>
internal static class FileModes
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static UnixFileMode Of(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : File.GetUnixFileMode(path);
}
