using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.Testbeds.KubeApi;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>An agent whose kubectl is the real /usr/bin/kubectl, its default kubeconfig pointing at a fresh test API server.</summary>
internal sealed class RealKubectlHarness : IAsyncDisposable
{
    private RealKubectlHarness(AgentHarness agent, KubeApiTestServer api)
    {
        Agent = agent;
        Api = api;
    }

    public AgentHarness Agent { get; }

    public KubeApiTestServer Api { get; }

    public static async Task<RealKubectlHarness> StartAsync()
    {
        var api = await KubeApiTestServer.StartAsync();
        var agent = new AgentHarness(o => o with
        {
            Tools = o.Tools with { Kubectl = KubectlFactAttribute.Kubectl },
            PollInterval = TimeSpan.FromMilliseconds(100),
        });
        api.WriteKubeconfig(agent.Options.DefaultKubeconfig);
        return new RealKubectlHarness(agent, api);
    }

    public async ValueTask DisposeAsync()
    {
        Agent.Dispose();
        await Api.DisposeAsync();
    }
}
