using System.Globalization;
using System.Runtime.InteropServices;

namespace RollbackMesh.Agent.Memory;

/// <summary>
/// Drops from the agent's working set the pages of its clean, read-only file mappings (its binary, the runtime, its
/// libraries). The kernel maps these in 64 KiB windows around every page start-up touches, so most of each image stays
/// resident although the idle agent uses little of it. The pages stay in the page cache: whatever is used again
/// comes back with a minor fault, and nothing can be lost because only mappings without a single private
/// (copy-on-write) page are touched.
/// </summary>
internal static class WorkingSetTrim
{
    private const int MadviseDontNeed = 4; // MADV_DONTNEED, linux/mman.h

    /// <summary>Trims this process's clean read-only file mappings; returns the bytes of mappings released.</summary>
    public static long Trim()
    {
        long released = 0;
        foreach (var mapping in Candidates(File.ReadLines("/proc/self/smaps")))
        {
            if (Madvise((nint)mapping.Start, (nuint)mapping.Length, MadviseDontNeed) == 0)
            {
                released += mapping.Length;
            }
        }

        return released;
    }

    /// <summary>
    /// The mappings of an smaps listing that may be trimmed: read-only private file mappings whose "Anonymous:" count
    /// is 0 kB (no page of theirs was ever copied on write, so every page can be read back from its file).
    /// </summary>
    public static IEnumerable<SmapsMapping> Candidates(IEnumerable<string> smapsLines)
    {
        SmapsMapping? candidate = null;
        foreach (var line in smapsLines)
        {
            if (SmapsMapping.TryParseHeader(line) is { } header)
            {
                candidate = header.IsReadOnlyFile ? header : null;
            }
            else if (candidate is { } mapping && line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                candidate = null;
                if (ParseKilobytes(line) == 0)
                {
                    yield return mapping;
                }
            }
        }
    }

    private static long ParseKilobytes(string line)
    {
        var value = line.AsSpan("Anonymous:".Length).Trim();
        var space = value.IndexOf(' ');
        return long.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : -1;
    }

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static extern int Madvise(nint address, nuint length, int advice);
}
