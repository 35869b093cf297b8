using System.Diagnostics;
using RollbackMesh.Agent.Memory;

namespace RollbackMesh.Agent.Tests.Memory;

public sealed class ResidentMemoryTests
{
    [Fact]
    public void ParseStatmPages_SecondFieldIsTheResidentPageCount()
    {
        Assert.Equal(10851, ResidentMemory.ParseStatmPages("1063477 10851 6140 1 0 48912 0\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1063477")]
    [InlineData("1063477 many 6140")]
    public void ParseStatmPages_NotAStatmLine_FormatExceptionQuotingIt(string statm)
    {
        var error = Assert.Throws<FormatException>(() => ResidentMemory.ParseStatmPages(statm));

        Assert.Contains("/proc/self/statm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_ThisProcess_AgreesWithTheRuntimesWorkingSet()
    {
        var before = Process.GetCurrentProcess().WorkingSet64;
        var resident = ResidentMemory.Bytes();
        var after = Process.GetCurrentProcess().WorkingSet64;

        // Both read the kernel's count; the test process may allocate between the reads, so allow a margin.
        Assert.InRange(resident, Math.Min(before, after) * 0.8, Math.Max(before, after) * 1.2);
    }
}
