using System.Security.Cryptography;

namespace RollbackMesh.Agent.Actions.Filesystem;

/// <summary>SHA-256 of files and lookup in sha256sum-style lists ("HASH  NAME" per line).</summary>
internal static class FileHashes
{
    /// <summary>The lowercase hex SHA-256 of a file.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The expected hash of <paramref name="fileName"/> in a sha256sum file, or null when not listed.</summary>
    public static string? Lookup(string sumsFile, string fileName)
    {
        foreach (var line in File.ReadLines(sumsFile))
        {
            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[1].TrimStart('*') == fileName)
            {
                return parts[0].ToLowerInvariant();
            }
        }

        return null;
    }
}
