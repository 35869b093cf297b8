using System.Text.Json;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// The security state as a JSON file (0600) under <c>DATA/pki</c>, shared by the running server and the CLI commands
/// (<c>token create</c>, <c>node remove</c>) run beside it. Updates take an exclusive lock file and replace the file
/// atomically; reads are cached and re-read when the file's timestamp or size changes, so a revocation made by the
/// CLI takes effect on the server's next check.
/// </summary>
internal sealed class SecurityStateFile(SecurityPaths paths)
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);
    private readonly Lock _cacheLock = new();
    private (DateTime Written, long Length, SecurityState State)? _cache;

    /// <summary>The current state (empty when the file does not exist yet).</summary>
    public SecurityState Read()
    {
        var info = new FileInfo(paths.StateFile);
        if (!info.Exists)
        {
            return SecurityState.Empty;
        }

        lock (_cacheLock)
        {
            if (_cache is { } cached && cached.Written == info.LastWriteTimeUtc && cached.Length == info.Length)
            {
                return cached.State;
            }

            var state = Parse(File.ReadAllBytes(paths.StateFile));
            _cache = (info.LastWriteTimeUtc, info.Length, state);
            return state;
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current state under the cross-process lock and stores the new state
    /// (when it differs). Returns the change's result.
    /// </summary>
    public T Update<T>(Func<SecurityState, (SecurityState State, T Result)> change)
    {
        PemFile.EnsurePrivateDirectory(paths.PkiDirectory);
        using var held = AcquireLock();
        var current = File.Exists(paths.StateFile) ? Parse(File.ReadAllBytes(paths.StateFile)) : SecurityState.Empty;
        var (next, result) = change(current);
        if (!ReferenceEquals(next, current))
        {
            PemFile.Replace(paths.StateFile, JsonSerializer.Serialize(next, SecurityJsonContext.Default.SecurityState), secret: true);
        }

        return result;
    }

    private static SecurityState Parse(byte[] json) =>
        JsonSerializer.Deserialize(json, SecurityJsonContext.Default.SecurityState) ?? SecurityState.Empty;

    // FileShare.None takes an exclusive advisory lock (flock) on Unix; another process gets an IOException until released.
    private FileStream AcquireLock()
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                return new FileStream(
                    paths.StateLockFile, PemFile.CreateOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, PemFile.SecretMode));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }
}
