using System.Globalization;

namespace RollbackMesh.Agent.Memory;

/// <summary>This process's resident set size, as the kernel counts it (what `ps` and the benchmark show as RSS).</summary>
internal static class ResidentMemory
{
    /// <summary>Resident bytes, from the second field of /proc/self/statm (pages).</summary>
    public static long Bytes() => ParseStatmPages(File.ReadAllText("/proc/self/statm")) * Environment.SystemPageSize;

    /// <summary>The resident page count of a statm line ("size resident shared text lib data dt").</summary>
    public static long ParseStatmPages(string statm)
    {
        var fields = statm.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
            ? pages
            : throw new FormatException($"/proc/self/statm: expected 'size resident ...' pages, got '{statm.Trim()}'");
    }
}
