using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Hosting;
using Xunit;

namespace RollbackMesh.Agent.Tests.Configuration;

/// <summary>coordinator.token: with it the TLS files may be missing (enrollment writes them); it is never echoed.</summary>
public sealed class AgentOptionsValidatorTokenTests
{
    private const string Token = "K10" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + "::0123456789abcdef.0123456789abcdef0123456789abcdef";

    [Fact]
    public void Resolve_TokenFromEnvironmentAndNoTlsFiles_ValidAndBound()
    {
        using var config = new TempConfig(Yaml("/nonexistent/tls"));

        var options = Resolve(config.Path, new() { ["ROLLBACKMESH_AGENT__COORDINATOR__TOKEN"] = Token });

        Assert.Equal(Token, options.Coordinator.Token);
    }

    [Fact]
    public void Resolve_TokenInYamlAndNoTlsFiles_Valid()
    {
        using var config = new TempConfig(Yaml("/nonexistent/tls") + $"\n  token: \"{Token}\"");

        Assert.Equal(Token, Resolve(config.Path, []).Coordinator.Token);
    }

    [Fact]
    public void Resolve_NoTokenNoCertificate_SaysHowToEnroll()
    {
        using var config = new TempConfig(Yaml("/nonexistent/tls"));

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(config.Path, []));

        Assert.Contains(error.Failures, p => p.StartsWith("coordinator.tls.cert:", StringComparison.Ordinal) && p.Contains("coordinator.token", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_MalformedToken_ReportedWithoutItsText()
    {
        using var config = new TempConfig(Yaml("/nonexistent/tls"));

        var error = Assert.Throws<OptionsValidationException>(() =>
            Resolve(config.Path, new() { ["ROLLBACKMESH_AGENT__COORDINATOR__TOKEN"] = "not-a-token-s3cr3t" }));

        Assert.Contains(error.Failures, p => p.StartsWith("coordinator.token: not a join token", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Failures, p => p.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_TokenButTlsPathsMissing_PathsStillRequired()
    {
        using var config = new TempConfig("""
            roles: [agent]
            cluster: test
            coordinator:
              address: https://coordinator:7443
            """);

        var error = Assert.Throws<OptionsValidationException>(() =>
            Resolve(config.Path, new() { ["ROLLBACKMESH_AGENT__COORDINATOR__TOKEN"] = Token }));

        Assert.Equal(
            [
                "coordinator.tls.ca: required for an https:// coordinator address",
                "coordinator.tls.cert: required for an https:// coordinator address",
                "coordinator.tls.key: required for an https:// coordinator address",
            ],
            error.Failures);
    }

    private static string Yaml(string tls) => $"""
        roles: [agent]
        cluster: test
        coordinator:
          address: https://coordinator:7443
          tls:
            ca: {tls}/ca.crt
            cert: {tls}/node.crt
            key: {tls}/node.key
        """;

    private static AgentOptions Resolve(string path, Dictionary<string, string?> environment)
    {
        var builder = AgentHostFactory.CreateBuilder(new AgentCommandLine(path), environment);
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    }
}
