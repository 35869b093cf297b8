using System.Globalization;

namespace RollbackMesh.Agent.Memory;

/// <summary>One mapping header line of /proc/PID/smaps: "start-end perms offset dev inode [path]".</summary>
internal sealed record SmapsMapping(long Start, long End, string Permissions, string Path)
{
    /// <summary>The mapping's size in bytes.</summary>
    public long Length => End - Start;

    /// <summary>A file mapping that can be neither written nor shared-written: dropping its pages loses nothing.</summary>
    public bool IsReadOnlyFile =>
        Path.StartsWith('/') && Permissions.Length == 4 && Permissions[1] == '-' && Permissions[3] == 'p';

    /// <summary>Parses a header line; null for the "Key: value" lines between headers.</summary>
    public static SmapsMapping? TryParseHeader(string line)
    {
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (dash <= 0 || space <= dash
            || !long.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
        {
            return null;
        }

        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length < 5 ? null : new SmapsMapping(start, end, fields[1], fields.Length > 5 ? fields[5].Trim() : string.Empty);
    }
}
