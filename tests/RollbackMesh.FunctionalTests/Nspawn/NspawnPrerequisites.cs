namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// Decides, once per process, whether this machine can run the nspawn testbed at all: root, the tools
/// (tests/install-test-deps.sh installs them), and a writable cgroup file system. Whether a container then really
/// boots is not guessed here: a failed boot fails the tests with the container's own output.
/// </summary>
public static class NspawnPrerequisites
{
    private static readonly Lazy<string?> Reason = new(Probe);

    /// <summary>Why the nspawn tests cannot run on this machine, or null when they can.</summary>
    public static string? MissingReason => Reason.Value;

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "systemd-nspawn needs Linux";
        }

        if (Environment.UserName != "root" && Environment.GetEnvironmentVariable("USER") != "root" && !IsUidZero())
        {
            return "systemd-nspawn, debootstrap and nsenter need root; run the tests as root";
        }

        string[] tools = ["systemd-nspawn", "debootstrap", "nsenter", "dpkg-deb", "ip", "flock"];
        var missing = tools.Where(tool => FindOnPath(tool) is null).ToArray();
        if (missing.Length > 0)
        {
            return $"missing {string.Join(", ", missing)}: run tests/install-test-deps.sh (systemd-container, debootstrap, util-linux, dpkg-dev, iproute2)";
        }

        if (!File.Exists(NspawnCgroup.ProbeFile))
        {
            return $"no cgroup file system at {NspawnCgroup.ProbeFile}: a container cannot get its own cgroup";
        }

        return null;
    }

    private static bool IsUidZero()
    {
        var status = File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal));
        return status?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0";
    }

    private static string? FindOnPath(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
    }
}
