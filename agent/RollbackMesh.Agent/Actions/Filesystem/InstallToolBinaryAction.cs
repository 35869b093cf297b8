namespace RollbackMesh.Agent.Actions.Filesystem;

/// <summary>
/// Replaces a tool binary (calicoctl) with one from the local artifact directory after checking its SHA-256;
/// the old binary is backed up first and the new one is put in place atomically.
/// </summary>
internal sealed class InstallToolBinaryAction : AgentAction
{
    private readonly string _source;
    private readonly string _sha256;
    private readonly string _installPath;

    /// <summary>Creates the action for confined paths and a validated 64-hex-digit hash.</summary>
    public InstallToolBinaryAction(string source, string sha256, string installPath)
    {
        _source = source;
        _sha256 = sha256.ToLowerInvariant();
        _installPath = installPath;
    }

    /// <inheritdoc />
    public override string Kind => "install_tool_binary";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"verify sha256 {_sha256} of {_source}; back up {_installPath}; install {_source} -> {_installPath} (0755, atomic rename)");

    /// <inheritdoc />
    public override Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(_installPath) && FileHashes.Sha256(_installPath) == _sha256);

    /// <inheritdoc />
    public override Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(_source))
        {
            throw new ActionFailedException($"{_source} does not exist");
        }

        var actual = FileHashes.Sha256(_source);
        if (actual != _sha256)
        {
            throw new ActionFailedException($"checksum mismatch for {_source}: expected {_sha256}, got {actual}; nothing installed");
        }

        if (File.Exists(_installPath))
        {
            context.Output($"backed up {_installPath} -> {context.Quarantine.Backup(_installPath)}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_installPath)!);
        AtomicFile.Copy(_source, _installPath, (UnixFileMode)0b111_101_101);
        return Task.FromResult($"installed {_source} ({actual}) to {_installPath}");
    }

    /// <inheritdoc />
    public override Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken) =>
        IsAlreadyDoneAsync(context, cancellationToken);
}
