using System.Security.Cryptography;
using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Actions.K3s;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.K3s;

public sealed class K3sInstallBinaryActionTests : IDisposable
{
    private readonly AgentHarness _h = new();
    private readonly string _artifacts;
    private readonly string _installPath;
    private readonly string _log;

    public K3sInstallBinaryActionTests()
    {
        _artifacts = _h.Root.Dir("allowed/artifacts/v1.24.4+k3s1");
        _installPath = Path.Combine(_h.Allowed, "bin/k3s");
        _log = _h.Root["k3s.log"];
        var name = K3sArtifacts.Arch == "amd64" ? "k3s" : $"k3s-{K3sArtifacts.Arch}";
        StandIns.K3s(Path.Combine(_artifacts, name), _log, "v1.24.4+k3s1");
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_artifacts, name))));
        File.WriteAllText(Path.Combine(_artifacts, $"sha256sum-{K3sArtifacts.Arch}.txt"), $"{hash}  {name}\n0000  k3s-airgap-images-{K3sArtifacts.Arch}.tar\n");
        StandIns.K3s(_installPath, _log, "v1.25.0+k3s1");
    }

    private RollbackMesh.V1.Action Install() => new()
    {
        K3SInstallBinary = new K3sInstallBinary { ArtifactDir = _artifacts, Version = "v1.24.4+k3s1", SkipStart = true, Exec = "server", InstallPath = _installPath },
    };

    [Fact]
    public async Task ExecuteAsync_StandInK3sChecksumMatches_OldBackedUpNewInstalledAndVerified()
    {
        var action = _h.Build(Install());
        await action.ExecuteAsync(_h.Context(), default);
        Assert.Contains("v1.24.4+k3s1", Sh.Run(_installPath, "--version"), StringComparison.Ordinal);
        Assert.Contains("v1.25.0+k3s1", File.ReadAllText(Assert.Single(Directory.GetFiles(_h.Options.BackupDirectory))), StringComparison.Ordinal);
        Assert.True(await action.VerifyAsync(_h.Context(), default));
        Assert.True(await action.IsAlreadyDoneAsync(_h.Context(), default));
    }

    // A joined server as the install script left it: flags in ExecStart, the join secret in the .env.
    private const string JoinedUnit = "[Service]\nExecStart=/usr/local/bin/k3s server '--server' 'https://10.0.0.1:6443' '--flannel-backend=none'\n";
    private const string JoinedEnv = "K3S_URL=https://10.0.0.1:6443\nK3S_TOKEN=K10abc::server:s3cret\n";

    private (string Unit, string Env) JoinedNode(string systemdDir)
    {
        var unit = Path.Combine(systemdDir, "k3s.service");
        File.WriteAllText(unit, JoinedUnit);
        File.WriteAllText(unit + ".env", JoinedEnv);
        return (unit, unit + ".env");
    }

    [Fact]
    public async Task ExecuteAsync_StandInInstallScriptInArtifacts_UnitArgumentsAndEnvFileKept()
    {
        var systemd = _h.Root.Dir("systemd");
        var (unit, env) = JoinedNode(systemd);
        K3sInstallScriptStandIn.Write(Path.Combine(_artifacts, "install.sh"), _log, systemd);

        var summary = await _h.Build(Install()).ExecuteAsync(_h.Context(), default);

        Assert.Equal(JoinedUnit, File.ReadAllText(unit));
        Assert.Equal(JoinedEnv, File.ReadAllText(env));
        Assert.DoesNotContain(StandIns.Calls(_log), c => c.StartsWith("install.sh", StringComparison.Ordinal));
        Assert.Contains("v1.24.4+k3s1", Sh.Run(_installPath, "--version"), StringComparison.Ordinal);
        Assert.Contains("unit and .env unchanged", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void StandInInstallScript_RunAsTheAirGapDocumentSays_LosesTheJoinSettings()
    {
        // Proves the stand-in is destructive where the real script is, so the test above means something.
        var systemd = _h.Root.Dir("systemd");
        var (unit, env) = JoinedNode(systemd);
        var script = Path.Combine(_artifacts, "install.sh");
        K3sInstallScriptStandIn.Write(script, _log, systemd);

        Sh.Run("/bin/sh", [script], new Dictionary<string, string>
        {
            ["INSTALL_K3S_EXEC"] = "server", ["INSTALL_K3S_SKIP_DOWNLOAD"] = "true", ["INSTALL_K3S_SKIP_START"] = "true",
        });

        Assert.DoesNotContain("--server", File.ReadAllText(unit), StringComparison.Ordinal);
        Assert.DoesNotContain("--flannel-backend=none", File.ReadAllText(unit), StringComparison.Ordinal);
        Assert.DoesNotContain("K3S_TOKEN", File.ReadAllText(env), StringComparison.Ordinal);
        Assert.DoesNotContain("K3S_URL", File.ReadAllText(env), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_SkipStartFalse_RefusedAndOldBinaryKept()
    {
        var action = new RollbackMesh.V1.Action
        {
            K3SInstallBinary = new K3sInstallBinary { ArtifactDir = _artifacts, Version = "v1.24.4+k3s1", SkipStart = false, Exec = "agent", InstallPath = _installPath },
        };
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => _h.Build(action).ExecuteAsync(_h.Context(), default));
        Assert.Contains("never starts k3s-agent", ex.Message, StringComparison.Ordinal);
        Assert.Contains("v1.25.0+k3s1", Sh.Run(_installPath, "--version"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_TamperedBinary_RefusedAndOldBinaryKept()
    {
        var name = K3sArtifacts.Arch == "amd64" ? "k3s" : $"k3s-{K3sArtifacts.Arch}";
        File.AppendAllText(Path.Combine(_artifacts, name), "# tampered\n");
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => _h.Build(Install()).ExecuteAsync(_h.Context(), default));
        Assert.Contains("checksum mismatch", ex.Message, StringComparison.Ordinal);
        Assert.Contains("v1.25.0+k3s1", Sh.Run(_installPath, "--version"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_StandInArtifactIsALaterBuildOfTheSamePatch_NotVerified()
    {
        // The artifact directory holds v1.24.4+k3s10 while the step asks for v1.24.4+k3s1, a substring of it.
        var name = K3sArtifacts.Arch == "amd64" ? "k3s" : $"k3s-{K3sArtifacts.Arch}";
        StandIns.K3s(Path.Combine(_artifacts, name), _log, "v1.24.4+k3s10");
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_artifacts, name))));
        File.WriteAllText(Path.Combine(_artifacts, $"sha256sum-{K3sArtifacts.Arch}.txt"), $"{hash}  {name}\n");
        var action = _h.Build(Install());

        await action.ExecuteAsync(_h.Context(), default);

        Assert.Contains("v1.24.4+k3s10", Sh.Run(_installPath, "--version"), StringComparison.Ordinal);
        Assert.False(await action.VerifyAsync(_h.Context(), default));
    }

    [Fact]
    public async Task VersionCheck_StandInK3sVersionOutput_MatchesPattern()
    {
        var h = new AgentHarness(o => o with { Tools = o.Tools with { VersionTools = new Dictionary<string, string> { ["k3s"] = _installPath } } });
        using var _ = h;
        var summary = await h.Build(new RollbackMesh.V1.Action { VersionCheck = new VersionCheck { Tool = "k3s", ExpectedPattern = @"v1\.25\.\d+\+k3s\d+" } })
            .ExecuteAsync(h.Context(), default);
        Assert.Equal("k3s version v1.25.0+k3s1", summary);
        Assert.Throws<ActionValidationException>(() => h.Build(new RollbackMesh.V1.Action { VersionCheck = new VersionCheck { Tool = "bash", ExpectedPattern = "." } }));
    }

    public void Dispose() => _h.Dispose();
}
