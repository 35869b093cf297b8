using System.Globalization;
using RollbackMesh.Agent.Memory;

namespace RollbackMesh.Agent.Tests.Memory;

public sealed class WorkingSetTrimTests
{
    [Fact]
    public void Candidates_SyntheticSmaps_OnlyReadOnlyPrivateFileMappingsWithoutPrivatePages()
    {
        string[] smaps =
        [
            "55ec9ca62000-55ec9d121000 r-xp 00103000 08:01 1234 /usr/bin/agent",
            "Rss:                5860 kB",
            "Anonymous:             0 kB",
            "55ec9d121000-55ec9d439000 r--p 007c2000 08:01 1234 /usr/bin/agent",
            "Anonymous:           120 kB",
            "55ec9d439000-55ec9d500000 rw-p 00ada000 08:01 1234 /usr/bin/agent",
            "Anonymous:             0 kB",
            "7f0000000000-7f0000010000 r--s 00000000 00:05 99 /memfd:doublemapper (deleted)",
            "Anonymous:             0 kB",
            "7f0000010000-7f0000020000 r--s 00000000 08:01 77 /var/lib/x/journal.db-shm",
            "Anonymous:             0 kB",
            "7fff00000000-7fff00001000 r-xp 00000000 00:00 0 [vdso]",
            "Anonymous:             0 kB",
            "7f80b8800000-7f80b8b81000 r--p 00000000 00:00 0 ",
            "Anonymous:             0 kB",
            "7fc0b5e27000-7fc0b5f7d000 r-xp 00028000 08:01 555 /usr/lib/x86_64-linux-gnu/libc.so.6",
            "Anonymous:             0 kB",
        ];

        var candidates = WorkingSetTrim.Candidates(smaps).ToList();

        Assert.Equal(["/usr/bin/agent", "/usr/lib/x86_64-linux-gnu/libc.so.6"], candidates.Select(c => c.Path));
        Assert.Equal(0x55ec9d121000 - 0x55ec9ca62000, candidates[0].Length);
    }

    [Fact]
    public void Trim_ThisProcess_FileBackedResidentMemoryDropsAndEverythingStillWorks()
    {
        var before = RssFileKilobytes();

        var released = WorkingSetTrim.Trim();
        var after = RssFileKilobytes();

        Assert.True(released > 0, "nothing was trimmed");
        Assert.True(after < before, $"RssFile {before} kB before, {after} kB after");
        // The trimmed code and data come back from the page cache when used.
        Assert.Equal("3", (1 + 2).ToString(CultureInfo.InvariantCulture));
        Assert.NotEmpty(File.ReadAllText("/proc/self/status"));
    }

    private static long RssFileKilobytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssFile:", StringComparison.Ordinal));
        return long.Parse(line["RssFile:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
