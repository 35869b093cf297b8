using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Verification;

/// <summary>
/// Tools whose version is not behind `--version`: calicoctl has a `version` subcommand ("Client Version:" first, then
/// the cluster version, which needs the datastore), kubectl `version --client`, helm `version`. The stand-ins refuse
/// any other arguments, as the real tools do, so asking them the wrong way fails the test.
/// </summary>
public sealed class VersionCommandStandInTests : IDisposable
{
    private readonly AgentHarness _h;
    private readonly string _calicoctl;
    private readonly string _kubectl;
    private readonly string _helm;
    private readonly string _log;

    public VersionCommandStandInTests()
    {
        string? calicoctl = null;
        string? kubectl = null;
        string? helm = null;
        _h = new AgentHarness(o => o with
        {
            Tools = o.Tools with
            {
                VersionTools = new Dictionary<string, string>
                {
                    ["calicoctl"] = calicoctl = Path.Combine(o.AllowedRoots[0], "bin/calicoctl"),
                    ["kubectl"] = kubectl = Path.Combine(o.AllowedRoots[0], "bin/kubectl"),
                    ["helm"] = helm = Path.Combine(o.AllowedRoots[0], "bin/helm"),
                },
            },
        });
        _calicoctl = calicoctl!;
        _kubectl = kubectl!;
        _helm = helm!;
        _log = _h.Root["tools.log"];
        Sh.WriteScript(_kubectl, $"echo \"$*\" >> '{_log}'\n[ \"$*\" = 'version --client' ] || {{ echo \"error: unknown flag: $1\" >&2; exit 1; }}\n" +
            "echo 'Client Version: v1.24.4'\necho 'Kustomize Version: v4.5.4'\n");
        Sh.WriteScript(_helm, $"echo \"$*\" >> '{_log}'\n[ \"$*\" = version ] || {{ echo \"Error: unknown flag: $1\" >&2; exit 1; }}\n" +
            "echo 'version.BuildInfo{Version:\"v3.9.4\", GitCommit:\"dbc6d8e2\", GitTreeState:\"clean\", GoVersion:\"go1.17.13\"}'\n");
    }

    private void Calicoctl(string client, string cluster, int exitCode) =>
        Sh.WriteScript(_calicoctl, $"echo \"$*\" >> '{_log}'\n[ \"$1\" = version ] || {{ echo \"Invalid option: '$1'.\" >&2; exit 1; }}\n" +
            $"echo 'Client Version:    {client}'\necho 'Git commit:        d6d4e5a8'\necho '{cluster}'\nexit {exitCode}\n");

    [Fact]
    public async Task VersionCheck_StandInCalicoctlWithoutDatastore_MatchesTheClientLine()
    {
        Calicoctl("v1.6.5", "Unable to retrieve Cluster Version or Type: connection refused", exitCode: 1);

        var result = await RunAsync("calicoctl", @"v1\.6\.\d+");

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal("calicoctl version v1.6.5", result.Summary);
        Assert.Equal(["version"], StandIns.Calls(_log));
    }

    [Fact]
    public async Task VersionCheck_StandInCalicoctlStillV3WithV1Cluster_FailedOnTheClientLine()
    {
        // The cluster line says v1.6.5 but the binary is still 3.1.3: only the client line counts.
        Calicoctl("v3.1.3", "Cluster Version:   v1.6.5", exitCode: 0);

        var result = await RunAsync("calicoctl", @"v1\.6\.\d+");

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Equal(@"calicoctl version printed 'Client Version:    v3.1.3', which does not match /v1\.6\.\d+/", result.Error);
    }

    [Fact]
    public async Task VersionCheck_StandInKubectl_AsksTheClientOnly()
    {
        var result = await RunAsync("kubectl", @"v1\.24\.\d+");

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal(["version --client"], StandIns.Calls(_log));
    }

    [Fact]
    public async Task VersionCheck_StandInHelm_UsesTheVersionCommand()
    {
        var result = await RunAsync("helm", @"v3\.9\.\d+");

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal("helm version v3.9.4", result.Summary);
        Assert.Equal(["version"], StandIns.Calls(_log));
    }

    private async Task<V1.StepResult> RunAsync(string tool, string pattern)
    {
        var (runner, journal) = _h.Runner();
        using (journal)
        {
            var command = new V1.StepCommand
            {
                RunId = "run-version",
                StepId = "step-" + tool,
                Action = new V1.Action { VersionCheck = new V1.VersionCheck { Tool = tool, ExpectedPattern = pattern } },
            };
            return await runner.RunAsync(command, _ => { }, CancellationToken.None);
        }
    }

    public void Dispose() => _h.Dispose();
}
