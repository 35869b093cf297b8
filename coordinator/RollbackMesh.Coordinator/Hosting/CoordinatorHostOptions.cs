using System.Net;
using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>How `rollbackmesh-coordinator serve` was asked to run.</summary>
/// <param name="Listen">The address and port to bind (port 0: any free port).</param>
/// <param name="DataDirectory">Where the SQLite store lives; created when missing.</param>
/// <param name="Tls">TLS material; null only when <paramref name="Insecure"/> is set.</param>
/// <param name="Insecure">Plaintext h2c, no authentication (tests, demos).</param>
/// <param name="RunbookDirectories">Directories of extra runbooks besides the built-in ones; empty for built-ins only.</param>
internal sealed record CoordinatorHostOptions(
    IPEndPoint Listen,
    string DataDirectory,
    CoordinatorTlsOptions? Tls,
    bool Insecure,
    IReadOnlyList<string> RunbookDirectories)
{
    /// <summary>The store file under <see cref="DataDirectory"/>.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "coordinator.db");

    /// <summary>Size limits for the files of each of <see cref="RunbookDirectories"/>. Defaults: 1 MiB per file, 16 MiB in all.</summary>
    public RunbookLimits RunbookLimits { get; init; } = new();

    /// <summary>Connection limits and timeouts. Defaults: see <see cref="ConnectionLimits"/>.</summary>
    public ConnectionLimits Connections { get; init; } = new();

    /// <summary>
    /// Where to serve Prometheus metrics (plaintext HTTP, GET /metrics, a listener of its own); null (the default) for
    /// none. Port 0: any free port.
    /// </summary>
    public IPEndPoint? MetricsListen { get; init; }

    /// <summary>A node silent for this long is shown unreachable; null: two missed health reports and half an interval, 25 s (<see cref="Fleet.FleetOptions"/>).</summary>
    public TimeSpan? NodeTimeout { get; init; }

    /// <summary>Log level and optional file. Default: Information, stderr only.</summary>
    public CoordinatorLogSettings Log { get; init; } = new();

    /// <summary>Extra settings tests set to shorten timers; production uses the defaults.</summary>
    public Action<CoordinatorSettings>? Configure { get; init; }
}
