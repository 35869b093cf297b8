using RollbackMesh.Coordinator.Runbooks;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Runbooks;

public sealed class RunbookLoaderTests
{
    // Line numbers matter: every assertion below names the line of the offending key or value.
    private const string Broken = """
        name: broken
        version: "1"
        procedure: test.txt
        colour: blue
        parameters:
          version:
            type: version
            required: true
          count:
            type: number
          when_flag:
            type: bool
            default: maybe
        phases:
          - name: one
            nodes: workers
            steps:
              - name: kill
                action: shell
              - name: kill
                action: service
                args: { unit: "${unit_name}" }
                timeout: 5 minutes
          - name: one
            nodes: all
            steps:
              - name: restore
                action: k3s_cluster_reset
                args: { snapshot: /x, snapshot_path: "${node.nam}" }
                irreversible: true
        """;

    private static RunbookLoadResult LoadBroken() => RunbookLoader.Load(Broken, "broken.yaml");

    [Fact]
    public void Load_BrokenRunbook_ReportsAllErrorsTogetherInLineOrder()
    {
        var result = LoadBroken();

        Assert.False(result.Success);
        Assert.True(result.Errors.Length >= 12, string.Join("\n", result.Errors));
        Assert.Equal(result.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column), result.Errors);
        Assert.All(result.Errors, e => Assert.Equal("broken.yaml", e.Source));
    }

    [Theory]
    [InlineData(4, "unknown key 'colour'")]
    [InlineData(10, "unknown type 'number'")]
    [InlineData(11, "bad default")]
    [InlineData(16, "bad selector 'workers'")]
    [InlineData(19, "unknown action kind 'shell'")]
    [InlineData(20, "duplicate step name 'kill'")]
    [InlineData(21, "missing required argument 'operation' for action 'service'")]
    [InlineData(22, "unknown reference '${unit_name}'")]
    [InlineData(23, "bad duration '5 minutes'")]
    [InlineData(24, "duplicate phase name 'one'")]
    [InlineData(29, "unknown argument 'snapshot' for action 'k3s_cluster_reset'")]
    [InlineData(29, "unknown reference '${node.nam}'")]
    [InlineData(27, "is irreversible, so it must say 'approval: required'")]
    public void Load_BrokenRunbook_ReportsErrorOnItsLine(int line, string message)
    {
        var result = LoadBroken();

        Assert.Contains(result.Errors, e => e.Line == line && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ErrorPosition_HasColumnOfTheNode()
    {
        var error = Assert.Single(LoadBroken().Errors, e => e.Message.Contains("unknown key 'colour'", StringComparison.Ordinal));

        Assert.Equal(1, error.Column);
        Assert.StartsWith("broken.yaml:4:1: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateYamlKey_IsReportedNotThrown()
    {
        var yaml = TestRunbooks.Minimal("dup") + "\nversion: \"2\"\n";

        var result = RunbookLoader.Load(yaml, "dup.yaml");

        Assert.Contains(result.Errors, e => e.Line == 10 && e.Message.Contains("duplicate key 'version'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Upgrade", "runbook name 'Upgrade' has an upper-case letter 'U' (U+0055) at character 1")]
    [InlineData("k3s_back", "runbook name 'k3s_back' has '_' (U+005F) at character 4")]
    [InlineData("-back", "runbook name '-back' starts with '-'")]
    [InlineData("caf\u00e9", "runbook name 'caf\u00e9' has '\u00e9' (U+00E9) at character 4")]
    [InlineData("no\u200bop", "runbook name 'no\u200bop' has U+200B at character 3")]
    public void Load_BadRunbookName_NamesTheOffendingCharacter(string name, string expected)
    {
        var result = RunbookLoader.Load(TestRunbooks.Minimal(name), "name.yaml");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("may only use lower-case letters a-z, digits and '-'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadStepName_NamesTheOffendingCharacter()
    {
        var result = RunbookLoader.Load(TestRunbooks.Minimal("fine").Replace("name: nothing", "name: do nothing", StringComparison.Ordinal), "step.yaml");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("step name 'do nothing' has white space U+0020 at character 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SyntaxError_ReportsItsLine()
    {
        var result = RunbookLoader.Load("name: x\nphases: [\n  - a\n", "syntax.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Contains("YAML syntax error", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 2, error.ToString());
    }

    [Fact]
    public void Load_PhaseOrderAgentsBeforeFirstServer_IsRejected()
    {
        var yaml = """
            name: backwards
            version: "1"
            procedure: test.txt
            phases:
              - name: agents-first
                nodes: agents
                steps: [{ name: start, action: service, args: { unit: k3s-agent, operation: start } }]
              - name: server-later
                nodes: first-server
                steps: [{ name: start, action: service, args: { unit: k3s, operation: start } }]
            """;

        var result = RunbookLoader.Load(yaml, "backwards.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal(9, error.Line);
        Assert.Contains("the first server must change before any other server or agent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PhaseOrderComputeBeforeControl_IsRejected()
    {
        var yaml = """
            name: backwards
            version: "1"
            procedure: test.txt
            phases:
              - name: compute
                nodes: compute
                steps: [{ name: clean, action: package_clean, args: { manager: yum } }]
              - name: control
                nodes: control
                steps: [{ name: clean, action: package_clean, args: { manager: yum } }]
            """;

        var error = Assert.Single(RunbookLoader.Load(yaml, "backwards.yaml").Errors);

        Assert.Contains("control nodes must change before compute nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadOnlyPhaseAfterAgents_IsAllowed()
    {
        var yaml = """
            name: verify-last
            version: "1"
            procedure: test.txt
            phases:
              - name: agents
                nodes: agents
                steps: [{ name: start, action: service, args: { unit: k3s-agent, operation: start } }]
              - name: verify
                nodes: first-server
                steps: [{ name: version, action: version_check, args: { tool: k3s, expected_pattern: v1 } }]
            """;

        Assert.True(RunbookLoader.Load(yaml, "ok.yaml").Success);
    }

    [Theory]
    [InlineData("timeout: 1h", "3600", "3600 s is not shorter than the step's timeout 1h")]
    [InlineData("source: \"no timeout: the default 10m\"", "600", "600 s is not shorter than the step's timeout 10m")]
    public void Load_WaitTimeoutNotShorterThanStepTimeout_IsRejectedOnTheArgument(string timeoutLine, string seconds, string message)
    {
        var yaml = $$"""
            name: wait
            version: "1"
            procedure: test.txt
            phases:
              - name: p
                nodes: first-server
                steps:
                  - name: wait-restore
                    action: kubectl_wait
                    args: { resource: restore/restore-migration, condition: Ready, timeout_seconds: "{{seconds}}" }
                    {{timeoutLine}}
            """;

        var error = Assert.Single(RunbookLoader.Load(yaml, "wait.yaml").Errors);

        Assert.Equal(10, error.Line);
        Assert.Contains($"argument 'timeout_seconds' of step 'wait-restore' of phase 'p': {message}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KubectlWaitWithoutConditionOrTimeout_MissingRequiredArguments()
    {
        var yaml = """
            name: wait
            version: "1"
            procedure: test.txt
            phases:
              - name: p
                nodes: first-server
                steps:
                  - name: wait-restore
                    action: kubectl_wait
                    args: { resource: restore/restore-migration }
            """;

        var errors = RunbookLoader.Load(yaml, "wait.yaml").Errors;

        Assert.Contains(errors, e => e.Message.Contains("missing required argument 'condition' for action 'kubectl_wait'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("missing required argument 'timeout_seconds' for action 'kubectl_wait'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_KubectlWaitInPreflight_IsAllowedBecauseItOnlyObserves()
    {
        var yaml = TestRunbooks.Minimal("pre") + """

            preflight:
              - name: restore-ready
                on: first-server
                action: kubectl_wait
                args: { resource: restore/restore-migration, condition: Ready, timeout_seconds: "60" }
            """;

        var result = RunbookLoader.Load(yaml, "pre.yaml");

        Assert.True(result.Success, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Load_StateChangingPreflight_IsRejected()
    {
        var yaml = TestRunbooks.Minimal("pre") + """

            preflight:
              - name: stop
                on: all
                action: k3s_killall
            """;

        var result = RunbookLoader.Load(yaml, "pre.yaml");

        Assert.Contains(result.Errors, e => e.Line == 13 && e.Message.Contains("changes state", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_BadEnumLiteralAndTargetOutsideForEach_AreReported()
    {
        var yaml = """
            name: enums
            version: "1"
            procedure: test.txt
            phases:
              - name: p
                nodes: first-server
                steps:
                  - name: bounce
                    action: service
                    args: { unit: "${target.name}", operation: bounce }
            """;

        var errors = RunbookLoader.Load(yaml, "enums.yaml").Errors;

        Assert.Contains(errors, e => e.Line == 10 && e.Message.Contains("'bounce' is not one of: start, stop, restart, reload", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 10 && e.Message.Contains("only available in for_each steps", StringComparison.Ordinal));
    }
}
