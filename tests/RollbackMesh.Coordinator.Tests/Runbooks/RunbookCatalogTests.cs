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
    public void Load_DirectoryRunbookNamedLikeBuiltIn_IsAnError()
    {
        File.WriteAllText(Path.Combine(_directory, "mine.yaml"), TestRunbooks.Minimal("noop"));

        var exception = Assert.Throws<RunbookValidationException>(() => RunbookCatalog.Load(_directory));

        var error = Assert.Single(exception.Errors);
        Assert.EndsWith("mine.yaml", error.Source, StringComparison.Ordinal);
        Assert.Contains("already used by a built-in runbook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoBadFiles_ReportsErrorsOfBothFiles()
    {
        File.WriteAllText(Path.Combine(_directory, "a.yaml"), TestRunbooks.Minimal("a").Replace("action: no_op", "action: shell", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_directory, "b.yml"), TestRunbooks.Minimal("b").Replace("nodes: all", "nodes: workers", StringComparison.Ordinal));

        var exception = Assert.Throws<RunbookValidationException>(() => RunbookCatalog.Load(_directory));

        Assert.Contains(exception.Errors, e => e.Source.EndsWith("a.yaml", StringComparison.Ordinal) && e.Message.Contains("unknown action kind 'shell'", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, e => e.Source.EndsWith("b.yml", StringComparison.Ordinal) && e.Message.Contains("bad selector 'workers'", StringComparison.Ordinal));
    }

    [Fact]
    public void Get_UnknownName_ThrowsNamingKnownRunbooks()
    {
        var exception = Assert.Throws<KeyNotFoundException>(() => RunbookCatalog.Load().Get("nope"));

        Assert.Contains("noop", exception.Message, StringComparison.Ordinal);
    }
}
