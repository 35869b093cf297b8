using System.CommandLine;

namespace RollbackMesh.Cli.Connection;

/// <summary>Options every command accepts: where the coordinator is, how to authenticate, and the output format.</summary>
internal static class GlobalOptions
{
    /// <summary>The environment variable read when --coordinator is not given.</summary>
    public const string CoordinatorVariable = "ROLLBACKMESH_COORDINATOR";

    public static readonly Option<string?> Coordinator = new("--coordinator")
    {
        Description = $"Coordinator URL, https://host:port (http:// only with --insecure). Default: ${CoordinatorVariable}.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(CoordinatorVariable),
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Machine-readable JSON output.", Recursive = true };

    public static readonly Option<bool> Insecure = new("--insecure") { Description = "Allow a plaintext http:// coordinator (tests, demos).", Recursive = true };

    public static readonly Option<string?> Ca = new("--ca") { Description = "CA certificate (PEM) that signed the coordinator's certificate.", Recursive = true };

    public static readonly Option<string?> Cert = new("--cert") { Description = "Operator client certificate (PEM).", Recursive = true };

    public static readonly Option<string?> Key = new("--key") { Description = "Operator private key (PEM).", Recursive = true };

    public static IEnumerable<Option> All => [Coordinator, Json, Insecure, Ca, Cert, Key];
}
