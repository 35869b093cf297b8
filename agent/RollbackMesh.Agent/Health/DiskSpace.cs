namespace RollbackMesh.Agent.Health;

/// <summary>Free and total bytes of the filesystem holding a data directory.</summary>
/// <param name="Path">The directory.</param>
/// <param name="FreeBytes">Bytes available to unprivileged users (statvfs f_bavail * f_frsize).</param>
/// <param name="TotalBytes">The filesystem's size.</param>
internal sealed record DiskSpace(string Path, ulong FreeBytes, ulong TotalBytes);
