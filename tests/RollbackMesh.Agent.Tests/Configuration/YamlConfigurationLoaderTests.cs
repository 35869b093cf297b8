using RollbackMesh.Agent.Configuration;

namespace RollbackMesh.Agent.Tests.Configuration;

/// <summary>agent.yaml to flat "Agent:..." keys, and the problems reported with their lines.</summary>
public sealed class YamlConfigurationLoaderTests
{
    [Fact]
    public void Load_NestedKeysAndSequences_FlatKeysUnderAgent()
    {
        using var config = new TempConfig("""
            nodeName: node-1
            roles:
            - server
            - first-server
            coordinator:
              address: https://c:7443
              tls: {ca: /etc/ca.crt}
            labels: {}
            toolPaths:
              k3s: '/opt/k3s'
            backupPath:
            logFile: ~
            """);

        var result = YamlConfigurationLoader.Load(config.Path);

        Assert.Empty(result.Problems);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["Agent:nodeName"] = "node-1",
                ["Agent:roles:0"] = "server",
                ["Agent:roles:1"] = "first-server",
                ["Agent:coordinator:address"] = "https://c:7443",
                ["Agent:coordinator:tls:ca"] = "/etc/ca.crt",
                ["Agent:toolPaths:k3s"] = "/opt/k3s",
                ["Agent:backupPath"] = string.Empty, // as YamlDotNet's loader gave them: the binder's reading is unchanged
                ["Agent:logFile"] = "~",
            },
            result.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary());
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing set\n")]
    [InlineData("---\n")]
    public void Load_NoContent_NoValuesNoProblems(string yaml)
    {
        using var config = new TempConfig(yaml);

        var result = YamlConfigurationLoader.Load(config.Path);

        Assert.Empty(result.Values);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Load_UnsupportedYaml_OneProblemWithLineAndColumn()
    {
        using var config = new TempConfig("roles: [agent]\nnodeName: &n node-1\n");

        var result = YamlConfigurationLoader.Load(config.Path);

        Assert.Equal([$"{config.Path}: YAML the agent does not read at line 2, column 11: anchors ('&') are not supported (repeat the value, or quote it if the '&' belongs to it)"], result.Problems);
        Assert.Empty(result.Values);
    }

    [Fact]
    public void Load_InvalidYaml_NotValidYamlAtLineAndColumn()
    {
        using var config = new TempConfig("roles: [agent]\nnodeName: \"node\\q\"\n");

        var result = YamlConfigurationLoader.Load(config.Path);

        Assert.Equal([$"{config.Path}: not valid YAML at line 2, column 11: While scanning a quoted scalar, found unknown escape character."], result.Problems);
    }

    [Fact]
    public void Load_UnknownKeysAndBadBooleans_ReportedWithTheirLines()
    {
        using var config = new TempConfig("nodname: x\ncoordinator:\n  insecure: yes\n  tls:\n    crt: /x\n");

        var result = YamlConfigurationLoader.Load(config.Path);

        Assert.Equal(
            ["nodname: unknown key (line 1)", "coordinator.insecure: must be true or false (line 3)", "coordinator.tls.crt: unknown key (line 5)"],
            result.Problems);
    }

    [Fact]
    public void Load_EmptyBoolean_ReportedOnItsKeysLine()
    {
        using var config = new TempConfig("coordinator:\n  insecure:\n  address: http://c:1\n");

        var result = YamlConfigurationLoader.Load(config.Path);

        Assert.Equal(["coordinator.insecure: must be true or false (line 2)"], result.Problems);
    }

    [Fact]
    public void Load_KeysDifferingOnlyInCase_ReportedNotMerged()
    {
        using var config = new TempConfig("roles: [server, agent]\nRoles: [compute]\n");

        var result = YamlConfigurationLoader.Load(config.Path);

        Assert.Equal(["Roles: same key as 'roles' on line 1 (keys are not case-sensitive) (line 2)"], result.Problems);
        Assert.Equal("server", result.Values["Agent:roles:0"]);
        Assert.Equal("agent", result.Values["Agent:roles:1"]);
    }

    [Fact]
    public void Load_KeyWithAColon_ReportedNotNested()
    {
        using var config = new TempConfig("labels:\n  zone: z1\n  'rack:r1': x\n");

        var result = YamlConfigurationLoader.Load(config.Path);

        Assert.Equal(["labels.rack:r1: a key cannot contain ':' (line 3)"], result.Problems);
        Assert.Equal(["Agent:labels:zone"], result.Values.Keys);
    }

    [Theory]
    [InlineData("just a value")]
    [InlineData("- a\n- b")]
    [InlineData("~")]
    public void Load_TopLevelNotAMapping_Problem(string yaml)
    {
        using var config = new TempConfig(yaml);

        var result = YamlConfigurationLoader.Load(config.Path);

        Assert.Equal([$"{config.Path}: the top level must be a mapping of keys to values"], result.Problems);
    }
}
