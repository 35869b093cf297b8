using System.Globalization;

namespace RollbackMesh.Benchmarks.Agent;

/// <summary>
/// Sums a process's resident memory per mapping from /proc/PID/smaps: file-backed pages per file (runtime, assemblies,
/// native libraries), anonymous pages and memfd double-mapped code per kind. Shows which mappings to shrink.
/// </summary>
internal static class MappingReport
{
    /// <summary>The <paramref name="top"/> largest mappings by resident KiB, largest first.</summary>
    public static IReadOnlyList<(string Name, long RssKiB)> Top(int pid, int top)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var name = "[anon]";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (IsHeader(line))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                name = fields.Length == 6 ? fields[5].Trim() : "[anon]";
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                var kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                totals[name] = totals.GetValueOrDefault(name) + kib;
            }
        }

        return [.. totals.OrderByDescending(kv => kv.Value).Take(top).Select(kv => (kv.Key, kv.Value))];
    }

    /// <summary>How many managed assemblies (.dll files) the process has mapped.</summary>
    public static int MappedAssemblies(int pid) => File.ReadLines($"/proc/{pid}/maps")
        .Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
        .Where(f => f.Length == 6 && f[5].EndsWith(".dll", StringComparison.Ordinal))
        .Select(f => f[5])
        .Distinct(StringComparer.Ordinal)
        .Count();

    // A mapping header starts "start-end perms offset dev inode [path]"; attribute lines start "Name:".
    private static bool IsHeader(string line)
    {
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return dash > 0 && space > dash && line.AsSpan(0, dash).ContainsAnyExcept("0123456789abcdef") == false;
    }
}
