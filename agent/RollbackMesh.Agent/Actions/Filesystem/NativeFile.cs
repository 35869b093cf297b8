using System.Runtime.InteropServices;

namespace RollbackMesh.Agent.Actions.Filesystem;

/// <summary>
/// The two POSIX calls .NET does not expose faithfully: rename(2), which never falls back to copy+delete
/// across filesystems (File.Move does), and fsync of a directory, which makes a rename durable.
/// </summary>
internal static partial class NativeFile
{
    private const int Exdev = 18;
    private const int OpenReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    /// <summary>Renames atomically; false when source and destination are on different filesystems.</summary>
    /// <exception cref="IOException">Any other failure.</exception>
    public static bool TryRename(string source, string destination)
    {
        if (Rename(source, destination) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == Exdev)
        {
            return false;
        }

        throw new IOException($"rename {source} -> {destination} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>fsyncs a directory so entries created or renamed in it survive a power loss.</summary>
    public static void SyncDirectory(string directory)
    {
        var fd = Open(directory, OpenReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"open {directory}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync {directory}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
