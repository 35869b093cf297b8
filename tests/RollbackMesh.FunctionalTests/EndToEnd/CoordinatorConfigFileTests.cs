using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.EndToEnd;

/// <summary>A real `rollbackmesh-coordinator serve --config FILE` process takes its settings from the file.</summary>
public sealed class CoordinatorConfigFileTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rollbackmesh-e2e-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Serve_ConfigFileOnly_ListensAndLogsToItsFileAtItsLevel()
    {
        var logFile = Path.Combine(_directory, "coordinator.log");
        var config = Write($"""
            listen: 127.0.0.1:0
            dataDirectory: {_directory}/data
            insecure: true
            logFile: {logFile}
            logLevel: Warning
            """);

        using var process = TestProcess.Start("coordinator", BuiltExecutables.Coordinator, ["serve", "--config", config]);
        try
        {
            await process.WaitForStdoutLineAsync(l => l.StartsWith("listening on http://127.0.0.1:", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            Assert.Equal(0, await process.TerminateAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            log.WriteLine(process.Output);
        }

        // The plaintext warning is written at Warning; the Information lines (runbooks loaded, listening) are not.
        var written = await File.ReadAllTextAsync(logFile);
        Assert.Contains("[WRN]", written, StringComparison.Ordinal);
        Assert.DoesNotContain("[INF]", written, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_directory, "data")));
    }

    [Fact]
    public async Task Serve_ConfigFileWithUnknownKeyAndBadValue_RefusesNamingEach()
    {
        var config = Write($"""
            listenn: 127.0.0.1:0
            dataDirectory: {_directory}
            insecure: true
            nodeTimeout: soon
            """);

        using var process = TestProcess.Start("coordinator", BuiltExecutables.Coordinator, ["serve", "--config", config]);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("listenn: unknown key (line 1)", process.Output, StringComparison.Ordinal);
        Assert.Contains("nodeTimeout: 'soon' must be a duration", process.Output, StringComparison.Ordinal);
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory, "coordinator.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
