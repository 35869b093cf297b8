using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using Launcher = RollbackMesh.Cli.Demo.DemoCommand;

namespace RollbackMesh.FunctionalTests.Cli.Demo;

/// <summary>`rollbackmesh demo` starts rollbackmesh-demo from beside the CLI (here: the test output, which holds both).</summary>
public sealed class DemoCommandTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rollbackmesh-demo-launch-").FullName;

    [Fact]
    public async Task Demo_BesideTheCli_RunsTheDemoWithTheStateOptionAndReturnsItsExitCode()
    {
        // The demo itself refuses a state directory with a quote (its stand-in scripts embed the path): only the demo
        // program says this, so the message proves the CLI started it and passed --state through.
        var state = Path.Combine(_dir, "it's");

        var run = await CliRun.RunAsync(log, "demo", "--state", state);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"the state directory '{state}' must not contain quotes", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void StartInfo_NoDemoInTheDirectory_IsNull()
    {
        Assert.Null(Launcher.StartInfo(_dir));
    }

    [Fact]
    public void StartInfo_OnlyTheDll_RunsItOnTheDotnetHost()
    {
        var dll = Path.Combine(_dir, Launcher.Program + ".dll");
        File.WriteAllText(dll, string.Empty);

        var start = Launcher.StartInfo(_dir);

        Assert.NotNull(start);
        Assert.Equal([dll], start.ArgumentList);
        Assert.False(start.UseShellExecute);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
