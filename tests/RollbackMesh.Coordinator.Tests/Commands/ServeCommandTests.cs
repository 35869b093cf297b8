using System.Net;
using RollbackMesh.Coordinator.Commands;
using RollbackMesh.Coordinator.Hosting;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Commands;

public sealed class ServeCommandTests
{
    private static (CoordinatorHostOptions? Options, string? Error) Bind(params string[] extra)
    {
        var result = ServeCommand.Create().Parse(["--insecure", "--listen", "127.0.0.1:7443", "--data", "/tmp/rbm-serve-test", .. extra]);
        var options = ServeCommand.TryBind(result, out var error);
        return (options, error);
    }

    [Fact]
    public void MetricsListen_Absent_Off() => Assert.Null(Bind().Options!.MetricsListen);

    [Fact]
    public void MetricsListen_AddressAndPort_Bound() =>
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9464), Bind("--metrics-listen", "127.0.0.1:9464").Options!.MetricsListen);

    [Theory]
    [InlineData("9464", "--metrics-listen '9464' is not ADDRESS:PORT")]
    [InlineData("localhost:x", "--metrics-listen 'localhost:x' is not ADDRESS:PORT")]
    [InlineData("127.0.0.1:7443", "--metrics-listen 127.0.0.1:7443 is the --listen address")]
    public void MetricsListen_Bad_RefusedNamingTheOption(string value, string expected)
    {
        var (options, error) = Bind("--metrics-listen", value);

        Assert.Null(options);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
