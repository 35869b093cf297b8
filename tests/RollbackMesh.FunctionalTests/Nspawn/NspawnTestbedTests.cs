using System.Net;
using System.Net.Sockets;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>The testbed itself: three real systemd containers with the agent package installed.</summary>
[Collection(NspawnCollection.Name)]
public sealed class NspawnTestbedTests(NspawnTestbed testbed, ITestOutputHelper output)
{
    [NspawnFact]
    public async Task Testbed_ThreeContainersWithAgentDeb_AgentUnitLoadedAndEnabled()
    {
        foreach (var (part, elapsed) in testbed.SetupTimes)
        {
            output.WriteLine($"testbed set-up: {part}: {elapsed.TotalSeconds:0.0} s");
        }

        Assert.Equal(3, testbed.Containers.Count);
        for (var i = 0; i < testbed.Containers.Count; i++)
        {
            var container = testbed.Containers[i];
            var install = testbed.AgentInstallResults[i];
            Assert.True(install.Succeeded, $"dpkg -i in {container.Name} exited {install.ExitCode}:\n{install.StandardOutput}\n{install.StandardError}");

            Assert.Equal("running", (await container.SystemctlAsync("is-system-running").ConfigureAwait(true)).StandardOutput.Trim());
            Assert.Equal("loaded", await container.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "LoadState").ConfigureAwait(true));
            Assert.Equal("enabled", await container.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "UnitFileState").ConfigureAwait(true));
            Assert.Equal("notify", await container.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "Type").ConfigureAwait(true));
            Assert.Equal(
                "/usr/bin/rollbackmesh-agent --config /etc/rollbackmesh/agent.yaml",
                ExecStartCommand(await container.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "ExecStart").ConfigureAwait(true)));
            Assert.True(await container.ExistsAsync("/etc/rollbackmesh/agent.yaml").ConfigureAwait(true));
            var status = await container.ExecAsync("dpkg-query", "-W", "-f=${Status} ${Version}", "rollbackmesh-agent").ConfigureAwait(true);
            Assert.Equal($"install ok installed {RepositoryLayout.ProductVersion}", status.StandardOutput.Trim());
        }
    }

    [NspawnFact]
    public async Task Testbed_Containers_ReachAListenerOnTheirHostAddress()
    {
        Assert.Equal(3, testbed.Containers.Select(c => c.Address).Distinct(StringComparer.Ordinal).Count());
        foreach (var container in testbed.Containers)
        {
            // A coordinator on the host listening on the veth's host side is what the agents will dial.
            using var listener = new TcpListener(IPAddress.Parse(container.HostAddress), 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var accept = listener.AcceptTcpClientAsync();
            var send = await container.ExecAsync(
                "bash", "-c", $"exec 3<>/dev/tcp/{container.HostAddress}/{port} && echo hello from {container.Name} >&3").ConfigureAwait(true);
            send.EnsureSuccess();
            using var client = await accept.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(true);
            using var reader = new StreamReader(client.GetStream());
            Assert.Equal($"hello from {container.Name}", await reader.ReadLineAsync().ConfigureAwait(true));
            Assert.True(File.Exists(container.SystemBusSocketPath), "no system bus socket at " + container.SystemBusSocketPath);
        }
    }

    // systemctl show prints ExecStart as "{ path=... ; argv[]=/usr/bin/x --a b ; ignore_errors=no ; ... }".
    private static string ExecStartCommand(string execStart)
    {
        const string Marker = "argv[]=";
        var start = execStart.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length;
        var end = execStart.IndexOf(" ;", start, StringComparison.Ordinal);
        return execStart[start..end].Trim();
    }
}
