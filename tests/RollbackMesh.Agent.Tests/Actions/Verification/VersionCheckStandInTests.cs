using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Verification;

/// <summary>
/// "Confirm that Felix has downgraded to v2.6.x: calico-felix --version" (Calico OpenStack downgrade) and
/// "k3s --version" (K3s rollback), against stand-ins printing what those tools print: calico-felix its version
/// alone (`v2.6.5`), k3s `k3s version v1.24.4+k3s1 (c3f830e9)` and the Go version.
/// </summary>
public sealed class VersionCheckStandInTests : IDisposable
{
    private readonly AgentHarness _h;
    private readonly string _felix;
    private readonly string _k3s;
    private readonly string _log;

    public VersionCheckStandInTests()
    {
        string? felix = null;
        string? k3s = null;
        _h = new AgentHarness(o => o with
        {
            Tools = o.Tools with
            {
                VersionTools = new Dictionary<string, string>
                {
                    ["calico-felix"] = felix = Path.Combine(o.AllowedRoots[0], "bin/calico-felix"),
                    ["k3s"] = k3s = Path.Combine(o.AllowedRoots[0], "bin/k3s"),
                },
            },
        });
        _felix = felix!;
        _k3s = k3s!;
        _log = _h.Root["tools.log"];
        Felix("v2.6.5");
        StandIns.K3s(_k3s, _log);
    }

    private void Felix(string version, int exitCode = 0) =>
        Sh.WriteScript(_felix, $"echo \"$*\" >> '{_log}'\n[ \"$1\" = --version ] || exit 2\necho '{version}'\nexit {exitCode}\n");

    [Fact]
    public async Task VersionCheck_StandInFelixDowngraded_SucceededWithTheVersion()
    {
        var result = await RunAsync("calico-felix", @"^v2\.6\.\d+$");

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal("calico-felix version v2.6.5", result.Summary);
        Assert.Equal(["--version"], StandIns.Calls(_log));
    }

    [Fact]
    public async Task VersionCheck_StandInFelixStillOnV3_FailedQuotingTheOutput()
    {
        Felix("v3.1.3");

        var result = await RunAsync("calico-felix", @"^v2\.6\.\d+$");

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Equal(@"calico-felix --version printed 'v3.1.3', which does not match /^v2\.6\.\d+$/", result.Error);
    }

    [Fact]
    public async Task VersionCheck_StandInPatternMatchesOnlyASubstring_Failed()
    {
        Felix("v2.6.5");

        // "v2.6" is a prefix of "v2.60.1" only when the pattern is not anchored; the documented check is v2.6.x.
        var anchored = await RunAsync("calico-felix", @"^v2\.6\.\d+$", step: "step-1");
        Felix("v2.60.1");
        var wrongMinor = await RunAsync("calico-felix", @"^v2\.6\.\d+$", step: "step-2");

        Assert.Equal(V1.StepState.Succeeded, anchored.State);
        Assert.Equal(V1.StepState.Failed, wrongMinor.State);
    }

    [Fact]
    public async Task VersionCheck_StandInToolExitsNonZero_FailedWithExitCode()
    {
        Felix("panic: cannot read config", exitCode: 1);

        var result = await RunAsync("calico-felix", "v2\\.6");

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Equal("calico-felix --version exited 1: panic: cannot read config", result.Error);
    }

    [Fact]
    public async Task VersionCheck_StandInK3s_MatchesTheFirstLine()
    {
        var result = await RunAsync("k3s", @"v1\.24\.4\+k3s1");

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal("k3s version v1.24.4+k3s1", result.Summary);
    }

    [Theory]
    [InlineData("v1.29.4+k3s1", V1.StepState.Succeeded)]
    [InlineData("v1.29.4+k3s10", V1.StepState.Failed)]
    [InlineData("v1.29.4+k3s1-rc1", V1.StepState.Failed)]
    [InlineData("v11.29.4+k3s1", V1.StepState.Failed)]
    public async Task VersionCheck_StandInK3sPatternOfOneRelease_MatchesThatReleaseOnly(string installed, V1.StepState expected)
    {
        StandIns.K3s(_k3s, _log, installed);

        // What ${k3s_version:regex} gives for v1.29.4+k3s1: an escaped literal, no anchors.
        var result = await RunAsync("k3s", @"v1\.29\.4\+k3s1");

        Assert.True(expected == result.State, result.Error);
        Assert.Equal(expected == V1.StepState.Succeeded ? "k3s version v1.29.4+k3s1" : "", result.Summary);
    }

    [Fact]
    public async Task VersionCheck_StandInPatternSaysReleaseCandidatesToo_MatchesTheCandidate()
    {
        StandIns.K3s(_k3s, _log, "v1.29.4+k3s1-rc1");

        var result = await RunAsync("k3s", @"v1\.29\.4\+k3s1(-rc\d+)?");

        Assert.True(result.State == V1.StepState.Succeeded, result.Error);
        Assert.Equal("k3s version v1.29.4+k3s1-rc1", result.Summary);
    }

    [Fact]
    public async Task VersionCheck_PatternThatWouldEscapeTheAnchors_Refused()
    {
        // Wrapped as ^(?:v2)|(v3)$ the second branch would match anywhere; parsed alone it is unbalanced.
        var result = await RunAsync("calico-felix", "v2)|(v3");

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains("expected_pattern is not a valid regular expression", result.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_log));
    }

    [Theory]
    [InlineData("calicoctl")]
    [InlineData("/bin/sh")]
    [InlineData("bash -c id")]
    public async Task VersionCheck_ToolNotInAllowList_RefusedAndNothingRuns(string tool)
    {
        var result = await RunAsync(tool, "v2");

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains($"tool '{tool}' is not in the version-check allow-list (calico-felix, k3s)", result.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_log));
    }

    [Fact]
    public async Task VersionCheck_InvalidPattern_Refused()
    {
        var result = await RunAsync("calico-felix", "v2.(6");

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains("expected_pattern is not a valid regular expression", result.Error, StringComparison.Ordinal);
    }

    private async Task<V1.StepResult> RunAsync(string tool, string pattern, string step = "step-1")
    {
        var (runner, journal) = _h.Runner();
        using (journal)
        {
            var command = new V1.StepCommand
            {
                RunId = "run-version",
                StepId = step,
                Action = new V1.Action { VersionCheck = new V1.VersionCheck { Tool = tool, ExpectedPattern = pattern } },
            };
            return await runner.RunAsync(command, _ => { }, CancellationToken.None);
        }
    }

    public void Dispose() => _h.Dispose();
}
