using RollbackMesh.Coordinator.Runbooks;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Runbooks;

public sealed class RunbookCatalogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rbm-runbooks-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_BuiltInsOnly_EveryBuiltInLoadsAndIsMarkedBuiltIn()
    {
        var catalog = RunbookCatalog.Load();

        Assert.Contains(catalog.All, r => r.Name == "noop");
        Assert.All(catalog.All, r => Assert.True(r.BuiltIn, r.Name));
    }

    [Fact]
    public void Load_DirectoryRunbook_IsAddedNextToBuiltIns()
    {
        File.WriteAllText(Path.Combine(_directory, "extra.yaml"), TestRunbooks.Minimal("extra"));

        var catalog = RunbookCatalog.Load(_directory);

        Assert.False(catalog.Get("extra").BuiltIn);
        Assert.True(catalog.TryGet("noop", out _));
    }

    [Fact]
    public void Load_DirectoryRunbookNamedLikeBuiltIn_IsRefusedAndTheBuiltInStays()
    {
        File.WriteAllText(Path.Combine(_directory, "mine.yaml"), TestRunbooks.Minimal("noop"));

        var catalog = RunbookCatalog.Load(_directory);

        var error = Assert.Single(catalog.Refused);
        Assert.EndsWith("mine.yaml", error.Source, StringComparison.Ordinal);
        Assert.Contains("already used by a built-in runbook", error.Message, StringComparison.Ordinal);
        Assert.True(catalog.Get("noop").BuiltIn);
    }

    [Fact]
    public void Load_TwoBadFiles_RefusesBothWithTheirErrorsAndOffersTheRest()
    {
        File.WriteAllText(Path.Combine(_directory, "a.yaml"), TestRunbooks.Minimal("a").Replace("action: no_op", "action: shell", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_directory, "b.yml"), TestRunbooks.Minimal("b").Replace("nodes: all", "nodes: workers", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_directory, "c.yaml"), TestRunbooks.Minimal("c"));

        var catalog = RunbookCatalog.Load(_directory);

        Assert.Contains(catalog.Refused, e => e.Source.EndsWith("a.yaml", StringComparison.Ordinal) && e.Message.Contains("unknown action kind 'shell'", StringComparison.Ordinal));
        Assert.Contains(catalog.Refused, e => e.Source.EndsWith("b.yml", StringComparison.Ordinal) && e.Message.Contains("bad selector 'workers'", StringComparison.Ordinal));
        Assert.False(catalog.TryGet("a", out _));
        Assert.False(catalog.TryGet("b", out _));
        Assert.True(catalog.TryGet("c", out _));
        Assert.True(catalog.TryGet("noop", out _));
    }

    [Fact]
    public void Load_FileOverDefaultFileLimit_RefusedUnreadAndTheOthersLoad()
    {
        // Valid YAML, so only the size can refuse it: 1 MiB of comment after a good runbook.
        var big = TestRunbooks.Minimal("big") + "\n#" + new string('x', 1024 * 1024) + "\n";
        File.WriteAllText(Path.Combine(_directory, "big.yaml"), big);
        File.WriteAllText(Path.Combine(_directory, "small.yaml"), TestRunbooks.Minimal("small"));

        var catalog = RunbookCatalog.Load(_directory);

        var error = Assert.Single(catalog.Refused);
        Assert.EndsWith("big.yaml", error.Source, StringComparison.Ordinal);
        Assert.Contains("over the 1 MiB limit per runbook file", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(error.Source + ": the file is 1 MiB", error.ToString(), StringComparison.Ordinal);
        Assert.False(catalog.TryGet("big", out _));
        Assert.True(catalog.TryGet("small", out _));
    }

    [Fact]
    public void Load_FilesOverDirectoryLimit_LaterFilesByNameRefused()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            File.WriteAllText(Path.Combine(_directory, name + ".yaml"), TestRunbooks.Minimal(name));
        }

        var size = new FileInfo(Path.Combine(_directory, "a.yaml")).Length;
        var catalog = RunbookCatalog.Load(_directory, new RunbookLimits { MaxDirectoryBytes = (2 * size) + 1 });

        var error = Assert.Single(catalog.Refused);
        Assert.EndsWith("c.yaml", error.Source, StringComparison.Ordinal);
        Assert.Contains("limit per runbook directory", error.Message, StringComparison.Ordinal);
        Assert.True(catalog.TryGet("a", out _));
        Assert.True(catalog.TryGet("b", out _));
    }

    [Fact]
    public void Load_FileOverFileLimit_DoesNotCountAgainstDirectoryLimit()
    {
        File.WriteAllText(Path.Combine(_directory, "a.yaml"), TestRunbooks.Minimal("a") + "\n#" + new string('x', 4096) + "\n");
        File.WriteAllText(Path.Combine(_directory, "b.yaml"), TestRunbooks.Minimal("b"));

        var catalog = RunbookCatalog.Load(_directory, new RunbookLimits { MaxFileBytes = 1024, MaxDirectoryBytes = 1024 });

        var error = Assert.Single(catalog.Refused);
        Assert.EndsWith("a.yaml", error.Source, StringComparison.Ordinal);
        Assert.True(catalog.TryGet("b", out _));
    }

    [Fact]
    public void Load_InvalidUtf8_RefusedNamingLineAndColumnAndTheOthersLoad()
    {
        // "dé" with a lone continuation byte where the "é" should be: line 3, the 'd' is column 12, the bad byte 13.
        var text = TestRunbooks.Minimal("latin").Replace("procedure: test.txt", "procedure: d\u0001", StringComparison.Ordinal);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xE9;
        File.WriteAllBytes(Path.Combine(_directory, "latin.yaml"), bytes);
        File.WriteAllText(Path.Combine(_directory, "fine.yaml"), TestRunbooks.Minimal("fine"));

        var catalog = RunbookCatalog.Load(_directory);

        var error = Assert.Single(catalog.Refused);
        Assert.EndsWith("latin.yaml", error.Source, StringComparison.Ordinal);
        Assert.Equal((3, 13), (error.Line, error.Column));
        Assert.Contains("invalid UTF-8 (byte 0xE9", error.Message, StringComparison.Ordinal);
        Assert.True(catalog.TryGet("fine", out _));
    }

    [Fact]
    public void Get_UnknownName_ThrowsNamingKnownRunbooks()
    {
        var exception = Assert.Throws<KeyNotFoundException>(() => RunbookCatalog.Load().Get("nope"));

        Assert.Contains("noop", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownNameInALargeCatalogue_ErrorNamesTwentyAndCountsTheRest()
    {
        for (var i = 0; i < 100; i++)
        {
            File.WriteAllText(Path.Combine(_directory, $"r{i:D3}.yaml"), TestRunbooks.Minimal($"r{i:D3}"));
        }

        var catalog = RunbookCatalog.Load(_directory);
        var exception = Assert.Throws<KeyNotFoundException>(() => catalog.Get(new string('x', 10_000)));

        Assert.Contains($"and {catalog.All.Count() - 20} more", exception.Message, StringComparison.Ordinal);
        Assert.InRange(exception.Message.Length, 1, 2048);
    }
}
