using RollbackMesh.Agent.Actions.Filesystem;
using RollbackMesh.Agent.Health;
using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.K3s;

/// <summary>
/// Puts a previous K3s binary back from local artifacts (air-gapped): the binary must match the release's
/// sha256sum file; the old binary is backed up and the new one copied atomically to install_path. Only the binary
/// changes. The artifacts' install.sh is never run: it deletes and rewrites the systemd unit (ExecStart from
/// INSTALL_K3S_EXEC alone) and its .env file (only the K3S_*/CONTAINERD_*/proxy variables of the caller's
/// environment), so it would drop the node's join settings (K3S_URL, K3S_TOKEN, --server, --flannel-backend, ...).
/// The unit is not started either; the runbook starts it in its own step.
/// </summary>
internal sealed class K3sInstallBinaryAction : AgentAction
{
    private readonly string _artifactDir;
    private readonly string _version;
    private readonly bool _skipStart;
    private readonly string _unit;
    private readonly string _installPath;

    /// <summary>Creates the action for confined paths; <paramref name="exec"/> (server or agent) names the unit kept as it is.</summary>
    public K3sInstallBinaryAction(string artifactDir, string version, bool skipStart, string exec, string installPath)
    {
        _artifactDir = artifactDir;
        _version = version;
        _skipStart = skipStart;
        // The install script's naming: server -> k3s, anything else -> k3s-<command>.
        var command = exec.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "server";
        _unit = command is "server" || command.StartsWith('-') ? "k3s" : $"k3s-{command}";
        _installPath = installPath;
    }

    /// <inheritdoc />
    public override string Kind => "k3s_install_binary";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var artifacts = K3sArtifacts.Find(_artifactDir);
        return Task.FromResult($"verify sha256 of {artifacts.Binary} against {artifacts.SumsFile} ({artifacts.ExpectedSha256}); "
            + $"back up {_installPath}; install {artifacts.Binary} -> {_installPath} (0755, atomic rename); "
            + $"binary only: {_unit}.service and its .env keep their arguments and K3S_* settings, {_unit} is not started");
    }

    /// <inheritdoc />
    public override Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var artifacts = K3sArtifacts.Find(_artifactDir);
        return Task.FromResult(File.Exists(_installPath) && FileHashes.Sha256(_installPath) == artifacts.ExpectedSha256);
    }

    /// <inheritdoc />
    public override Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (!_skipStart)
        {
            throw new ActionFailedException(
                $"k3s_install_binary swaps the binary only and never starts {_unit}: set skip_start and start the unit in a service step; nothing installed");
        }

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
            context.Output($"not running {script}: it would rewrite {_unit}.service and truncate its .env (join settings)");
        }

        return Task.FromResult($"installed k3s {_version} ({actual}) at {_installPath}; {_unit} unit and .env unchanged");
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
}
