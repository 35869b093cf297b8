using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Hosting;
using RollbackMesh.Protos.Conventions;

namespace RollbackMesh.Agent.Tests.Configuration;

public sealed class AgentOptionsValidatorTests
{
    /// <summary>A complete valid agent.yaml; also fed to the YAML oracle test (ExistingTestConfigs).</summary>
    internal const string ValidYaml = """
        nodeName: node-1
        roles: [server, first-server]
        cluster: test
        labels:
          rack: r1
        coordinator:
          address: http://127.0.0.1:7443
          insecure: true
        watchedUnits: [k3s.service]
        healthInterval: 15s
        journalPath: /var/lib/rollbackmesh-agent/journal.db
        toolPaths:
          k3s: /opt/k3s/bin/k3s
        """;

    [Fact]
    public void Resolve_ValidFile_BindsEveryKey()
    {
        using var config = new TempConfig(ValidYaml);

        var options = Resolve(config.Path, new Dictionary<string, string?>());

        Assert.Equal("node-1", options.NodeName);
        Assert.Equal(["server", "first-server"], options.Roles);
        Assert.Equal("r1", options.Labels["rack"]);
        Assert.True(options.Coordinator.Insecure);
        Assert.Equal(TimeSpan.FromSeconds(15), options.HealthIntervalValue);
        Assert.Equal("/opt/k3s/bin/k3s", options.ToolPaths["k3s"]);
        Assert.Equal("/usr/bin/dpkg-query", options.ToolPaths["dpkg-query"]); // defaults kept for unnamed tools
    }

    [Fact]
    public void Resolve_InvalidFile_ListsEveryProblemInOneException()
    {
        using var config = new TempConfig("""
            nodeName: Not_A_Name
            roles: [server, agent, wizard]
            cluster: test
            coordinator:
              address: http://coordinator:7443
              insecure: perhaps
            healthInterval: soon
            journalPath: relative.db
            nodname: typo
            """);

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(config.Path, new Dictionary<string, string?>()));

        var problems = error.Failures.ToList();
        Assert.Contains(problems, p => p.StartsWith("coordinator.insecure: must be true or false", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("nodname: unknown key", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("nodeName:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("unknown role 'wizard'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("not both", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("coordinator.address:", StringComparison.Ordinal) && p.Contains("insecure: true", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("healthInterval:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("journalPath:", StringComparison.Ordinal));
        Assert.Equal(8, problems.Count);
    }

    [Fact]
    public void Resolve_HttpsWithoutTlsFiles_NamesEachMissingFile()
    {
        using var config = new TempConfig("""
            roles: [agent]
            cluster: test
            coordinator:
              address: https://coordinator:7443
              tls:
                ca: /nonexistent/ca.crt
            """);

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(config.Path, new Dictionary<string, string?>()));

        Assert.Equal(
            [
                "coordinator.tls.ca: file '/nonexistent/ca.crt' does not exist",
                "coordinator.tls.cert: required for an https:// coordinator address",
                "coordinator.tls.key: required for an https:// coordinator address",
            ],
            error.Failures);
    }

    [Fact]
    public void Resolve_MissingFileAndNoRoles_ReportsBoth()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve("/nonexistent/agent.yaml", new Dictionary<string, string?>()));

        Assert.Contains(error.Failures, p => p.StartsWith("/nonexistent/agent.yaml: cannot read", StringComparison.Ordinal));
        Assert.Contains(error.Failures, p => p.StartsWith("roles: at least one role", StringComparison.Ordinal));
        Assert.Contains(error.Failures, p => p.StartsWith("coordinator.address: required", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_MalformedYaml_ReportsTheLine()
    {
        using var config = new TempConfig("roles: [server]\ncluster: test\ncoordinator: {address: x\n  bad: [\n");

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(config.Path, new Dictionary<string, string?>()));

        Assert.Contains(error.Failures, p => p.Contains("not valid YAML at line", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_TruncatedFlowSequence_IsAProblemNotACrash()
    {
        using var config = new TempConfig("roles: [server\ncoordinator: {\n");

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(config.Path, new Dictionary<string, string?>()));

        Assert.Contains(error.Failures, p => p.Contains("not valid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_EnvironmentOverrides_WinOverTheFile()
    {
        using var config = new TempConfig(ValidYaml);
        var environment = new Dictionary<string, string?>
        {
            ["ROLLBACKMESH_AGENT__COORDINATOR__ADDRESS"] = "http://10.0.0.5:9000",
            ["ROLLBACKMESH_AGENT__NODENAME"] = "node-from-env",
            ["ROLLBACKMESH_AGENT__HEALTHINTERVAL"] = "1m",
            ["ROLLBACKMESH_AGENT__LABELS__ZONE"] = "z1",
            ["UNRELATED__NODENAME"] = "ignored",
        };

        var options = Resolve(config.Path, environment);

        Assert.Equal("http://10.0.0.5:9000", options.Coordinator.Address);
        Assert.Equal("node-from-env", options.NodeName);
        Assert.Equal(TimeSpan.FromMinutes(1), options.HealthIntervalValue);
        Assert.Equal("z1", options.Labels["ZONE"]);
        Assert.Equal("r1", options.Labels["rack"]);
    }

    [Fact]
    public void Resolve_EnvironmentFixesAnInvalidFile_IsValid()
    {
        using var config = new TempConfig("roles: [agent]\ncluster: test\ncoordinator:\n  address: http://127.0.0.1:7443\n  insecure: true\n");

        var options = Resolve(config.Path, new Dictionary<string, string?> { ["ROLLBACKMESH_AGENT__COORDINATOR__ADDRESS"] = "http://c:1" });

        Assert.Equal("http://c:1", options.Coordinator.Address);
    }

    [Fact]
    public void Resolve_RolesWithoutCluster_NamesTheKeyAndTheRoles()
    {
        using var config = new TempConfig("roles: [server, first-server]\ncoordinator:\n  address: http://127.0.0.1:7443\n  insecure: true\n");

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(config.Path, new Dictionary<string, string?>()));

        var problem = Assert.Single(error.Failures);
        Assert.StartsWith("cluster: required for the roles server, first-server", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Edge-01")]
    [InlineData("edge_01")]
    [InlineData("-edge")]
    [InlineData("edge.eu")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Resolve_ClusterNotADnsLabel_NamesTheKeyAndValue(string cluster)
    {
        using var config = new TempConfig($"roles: [agent]\ncluster: \"{cluster}\"\ncoordinator:\n  address: http://127.0.0.1:7443\n  insecure: true\n");

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(config.Path, new Dictionary<string, string?>()));

        Assert.Equal($"cluster: '{cluster}' is not a valid cluster name ({ClusterNames.Shape})", Assert.Single(error.Failures));
    }

    [Fact]
    public void Resolve_ClusterAtTheLengthLimit_Accepted()
    {
        var cluster = "e" + new string('1', ClusterNames.MaxLength - 1);
        using var config = new TempConfig($"roles: [compute]\ncluster: {cluster}\ncoordinator:\n  address: http://127.0.0.1:7443\n  insecure: true\n");

        Assert.Equal(cluster, Resolve(config.Path, new Dictionary<string, string?>()).Cluster);
    }

    private static AgentOptions Resolve(string path, Dictionary<string, string?> environment)
    {
        var builder = AgentHostFactory.CreateBuilder(new AgentCommandLine(path), environment);
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    }
}
