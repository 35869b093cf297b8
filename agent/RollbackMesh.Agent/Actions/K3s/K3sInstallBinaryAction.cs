using RollbackMesh.Agent.Actions.Filesystem;
using RollbackMesh.Agent.Health;
using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.K3s;

/// <summary>
/// Puts a previous K3s binary back from local artifacts (air-gapped): the binary must match the release's
/// sha256sum file; the old binary is backed up, the new one copied atomically to install_path, and when an
/// install.sh is present it is run with INSTALL_K3S_SKIP_DOWNLOAD=true and the requested SKIP_START/VERSION/EXEC.
/// </summary>
internal sealed class K3sInstallBinaryAction : AgentAction
{
    private readonly string _artifactDir;
    private readonly string _version;
    private readonly bool _skipStart;
    private readonly string _exec;
    private readonly string _installPath;

    /// <summary>Creates the action for confined paths.</summary>
    public K3sInstallBinaryAction(string artifactDir, string version, bool skipStart, string exec, string installPath)
    {
        _artifactDir = artifactDir;
        _version = version;
        _skipStart = skipStart;
        _exec = exec;
        _installPath = installPath;
    }

    /// <inheritdoc />
    public override string Kind => "k3s_install_binary";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var artifacts = K3sArtifacts.Find(_artifactDir);
        var text = $"verify sha256 of {artifacts.Binary} against {artifacts.SumsFile} ({artifacts.ExpectedSha256}); "
            + $"back up {_installPath}; install {artifacts.Binary} -> {_installPath} (0755, atomic rename)";
        return Task.FromResult(artifacts.InstallScript is { } script ? text + "\n" + Script(context, script).CommandLine : text);
    }

    /// <inheritdoc />
    public override Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var artifacts = K3sArtifacts.Find(_artifactDir);
        return Task.FromResult(File.Exists(_installPath) && FileHashes.Sha256(_installPath) == artifacts.ExpectedSha256);
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var artifacts = K3sArtifacts.Find(_artifactDir);
        var actual = FileHashes.Sha256(artifacts.Binary);
        if (actual != artifacts.ExpectedSha256)
        {
            throw new ActionFailedException(
                $"checksum mismatch for {artifacts.Binary}: {artifacts.SumsFile} says {artifacts.ExpectedSha256}, file is {actual}; nothing installed");
        }

        if (File.Exists(_installPath))
        {
            context.Output($"backed up {_installPath} -> {context.Quarantine.Backup(_installPath)}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_installPath)!);
        AtomicFile.Copy(artifacts.Binary, _installPath, (UnixFileMode)0b111_101_101);
        context.Output($"installed {artifacts.Binary} -> {_installPath}");
        if (artifacts.InstallScript is { } script)
        {
            await context.RunCheckedAsync(Script(context, script), cancellationToken).ConfigureAwait(false);
        }

        return $"installed k3s {_version} ({actual}) at {_installPath}";
    }

    /// <inheritdoc />
    public override async Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (!await IsAlreadyDoneAsync(context, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (_version.Length == 0)
        {
            return true;
        }

        var result = await context.QueryAsync(new ToolInvocation { FileName = _installPath, Arguments = ["--version"] }, cancellationToken).ConfigureAwait(false);
        // A whole version token, never a substring: "v1.29.4+k3s10" contains "v1.29.4+k3s1".
        return result.Succeeded && VersionText.Find(result.StandardOutput) == _version;
    }

    private ToolInvocation Script(ActionContext context, string script)
    {
        var env = new Dictionary<string, string>
        {
            ["INSTALL_K3S_SKIP_DOWNLOAD"] = "true",
            ["INSTALL_K3S_BIN_DIR"] = Path.GetDirectoryName(_installPath)!,
        };
        if (_skipStart)
        {
            env["INSTALL_K3S_SKIP_START"] = "true";
        }

        if (_version.Length > 0)
        {
            env["INSTALL_K3S_VERSION"] = _version;
        }

        if (_exec.Length > 0)
        {
            env["INSTALL_K3S_EXEC"] = _exec;
        }

        return new ToolInvocation { FileName = context.Options.Tools.Shell, Arguments = [script], Environment = env };
    }
}
