using System.Globalization;

namespace RollbackMesh.Benchmarks.Steps;

/// <summary>A process's CPU time (utime + stime) from /proc/PID/stat.</summary>
internal static class ProcStat
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>Resident memory (VmRSS) in KiB.</summary>
    public static long RssKiB(int pid) => File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status")
        .Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
        .FirstOrDefault();

    public static TimeSpan CpuTime(int pid) => UserAndSystem(pid) is var (user, system) ? user + system : default;

    /// <summary>utime and stime apart: stime is the kernel's share (fsync, page faults, sockets).</summary>
    public static (TimeSpan User, TimeSpan System) UserAndSystem(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        // Fields after the command name (which may contain spaces) start after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (TimeSpan.FromSeconds(long.Parse(fields[11], CultureInfo.InvariantCulture) / TicksPerSecond),
            TimeSpan.FromSeconds(long.Parse(fields[12], CultureInfo.InvariantCulture) / TicksPerSecond));
    }
}
