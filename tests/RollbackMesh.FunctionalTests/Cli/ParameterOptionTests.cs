using RollbackMesh.Cli;
using RollbackMesh.Cli.Commands;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Cli;

/// <summary>`--param-file NAME=PATH`: a value (a secret) read from a file, never from the command line.</summary>
public sealed class ParameterOptionTests(ITestOutputHelper log) : IDisposable
{
    private const string Secret = "K10abc::server:Fil3S3cret";
    private readonly string _dir = Directory.CreateTempSubdirectory("rollbackmesh-param-file-").FullName;

    private string File(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Parse_ParamFile_ReadsTheValueWithoutItsTrailingNewline()
    {
        var path = File("token", Secret + "\n");

        var supplied = ParameterOption.Parse(["k3s_version=v1.28.5+k3s1"], [$"token={path}"]);

        Assert.Equal(Secret, supplied.Values["token"]);
        Assert.Equal("v1.28.5+k3s1", supplied.Values["k3s_version"]);
        Assert.Equal(path, supplied.Files["token"]);
    }

    [Fact]
    public void ApplyArguments_FileAndMaskedSecret_NeverEchoTheValue()
    {
        var supplied = ParameterOption.Parse(["inline_secret=" + Secret, "drain=false"], [$"token={File("token", Secret)}"]);
        var shown = new Dictionary<string, string> { ["token"] = "(secret)", ["inline_secret"] = "(secret)", ["drain"] = "false" };

        var args = supplied.ApplyArguments(shown);

        Assert.DoesNotContain("Fil3S3cret", args, StringComparison.Ordinal);
        Assert.Contains($" --param-file token={Path.Combine(_dir, "token")}", args, StringComparison.Ordinal);
        Assert.Contains(" --param-file inline_secret=<file holding it>", args, StringComparison.Ordinal);
        Assert.Contains(" --param drain=false", args, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadParamFiles_ClearErrorsThatNeverQuoteTheContent()
    {
        var missing = Assert.Throws<CliUsageException>(() => ParameterOption.Parse([], [$"token={Path.Combine(_dir, "absent")}"]));
        var empty = Assert.Throws<CliUsageException>(() => ParameterOption.Parse([], [$"token={File("empty", "\n")}"]));
        var twice = Assert.Throws<CliUsageException>(() => ParameterOption.Parse(["token=x"], [$"token={File("token", Secret)}"]));
        var noName = Assert.Throws<CliUsageException>(() => ParameterOption.Parse([], [File("token", Secret)]));

        Assert.Contains("cannot read", missing.Message, StringComparison.Ordinal);
        Assert.Contains("is empty", empty.Message, StringComparison.Ordinal);
        Assert.Contains("more than once", twice.Message, StringComparison.Ordinal);
        Assert.Contains("is not name=path", noName.Message, StringComparison.Ordinal);
        Assert.All([missing, empty, twice, noName], e => Assert.DoesNotContain("Fil3S3cret", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanAndApply_ParamFileOnRealCoordinatorAndAgent_ValueFromTheFileAndHintKeepsTheFile()
    {
        using var coordinator = await CoordinatorProcess.StartAsync(log);
        using var agent = AgentProcess.Start(log, coordinator.Address, "param-file-first", ["server", "first-server"]);
        string[] connection = ["--coordinator", coordinator.Address.ToString(), "--insecure"];
        var path = File("sleep_ms", "250\n");

        var plan = await CliPlans.UntilPreflightOkAsync(log, [.. connection, "plan", "noop", "--param-file", $"sleep_ms={path}"]);
        Assert.Matches(@"sleep_ms\s*[=:]\s*250\b", plan.Stdout);
        Assert.Contains($"--param-file sleep_ms={path} --plan-hash", plan.Stdout, StringComparison.Ordinal);
        var hash = CliPlans.HashOf(plan.Stdout);

        var apply = await CliRun.RunAsync(log, [.. connection, "apply", "noop", "--param-file", $"sleep_ms={path}", "--plan-hash", hash, "--watch"]);

        Assert.Equal(0, apply.ExitCode);
    }


    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
