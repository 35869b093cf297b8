namespace RollbackMesh.Coordinator.Fleet;

/// <summary>Free and total bytes of the filesystem holding <see cref="Path"/>, as a node reported it.</summary>
internal sealed record DiskSpace(string Path, ulong FreeBytes, ulong TotalBytes);
