using System.Globalization;

namespace RollbackMesh.Benchmarks.Agent;

/// <summary>Reads a process's resident set (VmRSS) and CPU time (utime + stime) from /proc.</summary>
internal static class ProcessSampler
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static long RssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>
    /// RssAnon, RssFile and RssShmem from status (the runtime's W^X double-mapped code is shmem), Pss from smaps_rollup
    /// (shared runtime pages counted proportionally), in KiB.
    /// </summary>
    public static (long Anon, long File, long Shmem, long Pss) Breakdown(int pid)
    {
        long Field(string file, string name) => File.ReadLines(file)
            .Where(l => l.StartsWith(name, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return (Field($"/proc/{pid}/status", "RssAnon:"), Field($"/proc/{pid}/status", "RssFile:"), Field($"/proc/{pid}/status", "RssShmem:"),
            Field($"/proc/{pid}/smaps_rollup", "Pss:"));
    }

    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may contain spaces) start after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
