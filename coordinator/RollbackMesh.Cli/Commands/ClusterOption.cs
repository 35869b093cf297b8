using System.CommandLine;
using RollbackMesh.Protos.Conventions;

namespace RollbackMesh.Cli.Commands;

/// <summary>The --cluster option of plan and apply: the one cluster a plan covers.</summary>
internal static class ClusterOption
{
    public static Option<string?> Create(string description) => new("--cluster") { Description = description };

    /// <summary>The value to send: empty when not given.</summary>
    /// <exception cref="CliUsageException">The value is not a cluster name.</exception>
    public static string Parse(string? cluster) =>
        cluster is null ? ""
        : ClusterNames.IsValid(cluster) ? cluster
        : throw new CliUsageException($"--cluster '{cluster}' is not a cluster name ({ClusterNames.Shape}).");
}
