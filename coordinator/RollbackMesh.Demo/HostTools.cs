namespace RollbackMesh.Demo;

/// <summary>Finds real host tools the sandbox fleet uses (etcd, etcdctl) on PATH and in the usual directories.</summary>
internal static class HostTools
{
    /// <summary>The full path of <paramref name="name"/>, or null when it is not installed.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"])
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    /// <summary>The full path of <paramref name="name"/>.</summary>
    /// <exception cref="DemoPrerequisiteException">It is not installed.</exception>
    public static string Require(string name, string package) => Find(name) ?? throw new DemoPrerequisiteException(
        $"'{name}' is not installed, and the sandbox fleet needs it for a real etcd snapshot and its trial restore. "
        + $"Install it with `apt-get install -y {package}` (tests/install-test-deps.sh installs it), then run the demo again.");
}
