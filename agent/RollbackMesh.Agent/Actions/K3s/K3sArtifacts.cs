using System.Runtime.InteropServices;
using RollbackMesh.Agent.Actions.Filesystem;

namespace RollbackMesh.Agent.Actions.K3s;

/// <summary>
/// The air-gap artifact layout of a K3s release: the binary (k3s on amd64, k3s-&lt;arch&gt; elsewhere), its
/// sha256sum-&lt;arch&gt;.txt, and optionally install.sh.
/// </summary>
internal sealed record K3sArtifacts(string Binary, string SumsFile, string? InstallScript, string ExpectedSha256)
{
    /// <summary>The release architecture name of this machine.</summary>
    public static string Arch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.S390x => "s390x",
        _ => "amd64",
    };

    /// <summary>Finds the files in <paramref name="directory"/>; throws when the binary or its checksum is missing.</summary>
    public static K3sArtifacts Find(string directory)
    {
        var arch = Arch;
        var sums = Path.Combine(directory, $"sha256sum-{arch}.txt");
        if (!File.Exists(sums))
        {
            throw new ActionFailedException($"{sums} is missing: refusing an unverifiable binary");
        }

        foreach (var name in new[] { $"k3s-{arch}", "k3s" })
        {
            var binary = Path.Combine(directory, name);
            if (File.Exists(binary))
            {
                var expected = FileHashes.Lookup(sums, name) ?? FileHashes.Lookup(sums, "k3s")
                    ?? throw new ActionFailedException($"{sums} has no entry for {name}");
                var script = Path.Combine(directory, "install.sh");
                return new K3sArtifacts(binary, sums, File.Exists(script) ? script : null, expected);
            }
        }

        throw new ActionFailedException($"no k3s or k3s-{arch} in {directory}");
    }
}
