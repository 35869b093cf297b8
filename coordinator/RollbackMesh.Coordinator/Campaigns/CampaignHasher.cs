using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RollbackMesh.Coordinator.Campaigns;

/// <summary>
/// SHA-256 over a campaign: runbook, parameters (sorted; a secret by its own SHA-256, as in a plan's hash), canary,
/// parallel, failure budget and selector, then every cluster's name and plan hash in campaign order. Every string is
/// length-prefixed, so no two different campaigns serialise alike. Lower-case hex, prefixed <c>sha256:</c>.
/// </summary>
internal static class CampaignHasher
{
    private const string Format = "rollbackmesh-campaign/1";

    public static string Compute(
        string runbook, IReadOnlyDictionary<string, string> parameters, IReadOnlyCollection<string> secretParameters,
        CampaignOptions options, IEnumerable<(string Cluster, string PlanHash)> clusters)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Text(hash, Format);
        Text(hash, runbook);
        Number(hash, parameters.Count);
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Text(hash, name);
            Text(hash, secretParameters.Contains(name) ? "secret:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))) : value);
        }

        Number(hash, options.Canary);
        Number(hash, options.Parallel);
        Number(hash, options.FailureBudget);
        Text(hash, options.Selector);
        var list = clusters.ToList();
        Number(hash, list.Count);
        foreach (var (cluster, planHash) in list)
        {
            Text(hash, cluster);
            Text(hash, planHash);
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Text(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Number(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void Number(IncrementalHash hash, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        hash.AppendData(buffer);
    }
}
