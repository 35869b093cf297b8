using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// The packaged rollbackmesh-agent.service running the packaged agent under a real systemd: the shipped
/// agent.yaml is understood by the agent (only the values an operator must fill in are reported), and a killed
/// agent is restarted.
/// </summary>
[Collection(NspawnCollection.Name)]
public sealed class AgentUnitTests(NspawnTestbed testbed)
{
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(60);

    [NspawnFact]
    public async Task AgentUnit_ShippedConfig_FailsOnceWithConfigurationProblemsOnly()
    {
        await using var node = await testbed.StartContainerAsync().ConfigureAwait(true);
        (await node.InstallDebAsync(testbed.AgentPackagePath).ConfigureAwait(true)).EnsureSuccess();

        await node.SystemctlAsync("start", NspawnTestbed.AgentUnit).ConfigureAwait(true);
        await WaitForStateAsync(node, "failed").ConfigureAwait(true);

        Assert.Equal("78", await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "ExecMainStatus").ConfigureAwait(true));
        Assert.Equal("0", await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "NRestarts").ConfigureAwait(true));
        var journal = (await node.ExecAsync("journalctl", "-u", NspawnTestbed.AgentUnit, "--no-pager", "-o", "cat").ConfigureAwait(true)).StandardOutput;
        Assert.Contains("roles: at least one role is required", journal, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown key", journal, StringComparison.Ordinal);
    }

    [NspawnFact]
    public async Task AgentUnit_ConfiguredAgentKilled_SystemdRestartsIt()
    {
        await using var node = await testbed.StartContainerAsync().ConfigureAwait(true);
        (await node.InstallDebAsync(testbed.AgentPackagePath).ConfigureAwait(true)).EnsureSuccess();
        // Something listening where the coordinator would be, so the agent's dial-out has a peer on the host side.
        using var listener = new TcpListener(IPAddress.Parse(node.HostAddress), 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await node.WriteFileAsync("/etc/rollbackmesh/agent.yaml", $"""
            nodeName: {node.Name}
            roles: [agent]
            cluster: test
            coordinator:
              address: http://{node.HostAddress}:{port}
              insecure: true
            journalPath: /var/lib/rollbackmesh-agent/journal.db
            quarantinePath: /var/lib/rollbackmesh-agent/quarantine
            """).ConfigureAwait(true);

        (await node.SystemctlAsync("start", NspawnTestbed.AgentUnit).ConfigureAwait(true)).EnsureSuccess();
        await WaitForStateAsync(node, "active").ConfigureAwait(true);
        var firstPid = await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "MainPID").ConfigureAwait(true);

        await node.KillAgentAsync().ConfigureAwait(true);
        await WaitForAsync(async () => await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "NRestarts").ConfigureAwait(true) == "1").ConfigureAwait(true);
        await WaitForStateAsync(node, "active").ConfigureAwait(true);

        Assert.NotEqual(firstPid, await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "MainPID").ConfigureAwait(true));
        Assert.Equal("root", await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "User").ConfigureAwait(true));
    }

    private static Task WaitForStateAsync(NspawnContainer node, string activeState) =>
        WaitForAsync(async () => await node.GetUnitPropertyAsync(NspawnTestbed.AgentUnit, "ActiveState").ConfigureAwait(true) == activeState,
            $"{NspawnTestbed.AgentUnit} ActiveState={activeState}", node);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what = "condition", NspawnContainer? node = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StateTimeout)
        {
            if (await condition().ConfigureAwait(true))
            {
                return;
            }

            await Task.Delay(200).ConfigureAwait(true);
        }

        var journal = node is null ? string.Empty
            : (await node.ExecAsync("journalctl", "-u", NspawnTestbed.AgentUnit, "--no-pager").ConfigureAwait(true)).StandardOutput;
        Assert.Fail($"{what} not reached within {StateTimeout}\n{journal}");
    }
}
