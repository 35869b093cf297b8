using System.ComponentModel.DataAnnotations;
using System.Net;
using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Coordinator.Security;
using Serilog.Events;

namespace RollbackMesh.Coordinator.Configuration;

/// <summary>
/// The settings of <c>rollbackmesh-coordinator serve</c>: the "Coordinator" section, read from
/// /etc/rollbackmesh/coordinator.yaml (camelCase keys, or the file named by --config) and overridden by the command-line
/// flags. Bound once by the configuration binding source generator and checked once by
/// <see cref="ServeOptionsValidator"/> before anything starts, which lists every problem with its key.
/// </summary>
/// <remarks>
/// A new setting is a property here (its doc stating the default), its key in <see cref="Keys"/>, its check in
/// <see cref="ServeOptionsValidator"/>, a flag in Commands/ServeCommand.cs if it has one, and the key in the shipped
/// packaging/config/coordinator.yaml (a test reads that file and requires every key in it to reach this type).
/// </remarks>
internal sealed class ServeOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Coordinator";

    /// <summary>The file read when --config is not given; it may be missing.</summary>
    public const string DefaultConfigPath = "/etc/rollbackmesh/coordinator.yaml";

    /// <summary>Address and port to listen on (port 0: any free port). Default 0.0.0.0:7443. Flag --listen.</summary>
    [Required(ErrorMessage = "listen: required (--listen ADDRESS:PORT)")]
    public string Listen { get; set; } = "0.0.0.0:7443";

    /// <summary>The state directory (SQLite store); created when missing. Default /var/lib/rollbackmesh. Flag --data.</summary>
    [Required(ErrorMessage = "dataDirectory: required (--data DIR)")]
    public string DataDirectory { get; set; } = "/var/lib/rollbackmesh";

    /// <summary>TLS files. Default: those `init --data` created in the data directory, when it was run.</summary>
    public ServeTlsOptions Tls { get; set; } = new();

    /// <summary>Plaintext h2c without authentication (tests and demos only). Default false. Flag --insecure.</summary>
    public bool Insecure { get; set; }

    /// <summary>Directories of extra runbook YAML files. Default none. Flag --runbooks (one directory; replaces the list).</summary>
    public List<string> RunbookDirectories { get; set; } = [];

    /// <summary>Open connections in all; more are closed on accept. Default 16,384. Flag --max-connections.</summary>
    public int MaxConnections { get; set; } = 16_384;

    /// <summary>Open connections from one IP address; more are closed before TLS. Default 256. Flag --max-connections-per-peer.</summary>
    public int MaxConnectionsPerPeer { get; set; } = 256;

    /// <summary>
    /// A node silent (no health report or keepalive) for this long is shown unreachable ("60s", "2m"). Default: three
    /// missed health reports (30 s).
    /// </summary>
    public string? NodeTimeout { get; set; }

    /// <summary>
    /// Where to serve Prometheus metrics (plaintext HTTP, GET /metrics, a listener of its own; port 0: any free port).
    /// Default none (off). Flag --metrics-listen.
    /// </summary>
    public string? MetricsListen { get; set; }

    /// <summary>A log file in addition to stderr. Default none.</summary>
    public string? LogFile { get; set; }

    /// <summary>Minimum log level: Verbose, Debug, Information, Warning, Error, Fatal. Default Information.</summary>
    public string LogLevel { get; set; } = "Information";

    /// <summary>
    /// The keys a file may hold, as dotted camelCase paths. Spelled with nameof so a renamed property cannot leave its
    /// key behind; the binder itself is generated and offers no list.
    /// </summary>
    public static IReadOnlySet<string> Keys { get; } = new[]
    {
        nameof(Listen), nameof(DataDirectory), nameof(Tls), nameof(Insecure), nameof(RunbookDirectories),
        nameof(MaxConnections), nameof(MaxConnectionsPerPeer), nameof(NodeTimeout), nameof(MetricsListen), nameof(LogFile), nameof(LogLevel),
    }.Concat(ServeTlsOptions.Keys.Select(key => nameof(Tls) + "." + key))
        .Select(ToCamelCase).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The parsed <see cref="NodeTimeout"/>; null for the default. Valid only after validation.</summary>
    public TimeSpan? NodeTimeoutValue => Durations.TryParse(NodeTimeout, out var value) ? value : null;

    /// <summary>
    /// The TLS files to serve with: each one set here, else the one `init --data` created when it has run (which
    /// also means agents may connect without a certificate to enroll). Null paths are missing.
    /// </summary>
    public (string? Cert, string? Key, string? ClientCa, bool Enroll) EffectiveTls()
    {
        var pki = string.IsNullOrWhiteSpace(DataDirectory) ? null : new SecurityPaths(Path.GetFullPath(DataDirectory));
        var enroll = !Insecure && pki is not null && SecurityServiceCollectionExtensions.IsInitialized(pki);
        return (Tls.Cert ?? (enroll ? pki!.ServerCertificate : null), Tls.Key ?? (enroll ? pki!.ServerKey : null),
            Tls.ClientCa ?? (enroll ? pki!.CaCertificate : null), enroll);
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Listen is not null && (!IPEndPoint.TryParse(Listen, out _) || !Listen.Contains(':', StringComparison.Ordinal)))
        {
            yield return Problem($"listen: --listen '{Listen}' is not ADDRESS:PORT (e.g. 127.0.0.1:7443)");
        }

        if (MetricsListen is not null)
        {
            if (!IPEndPoint.TryParse(MetricsListen, out var metrics) || !MetricsListen.Contains(':', StringComparison.Ordinal))
            {
                yield return Problem($"metricsListen: --metrics-listen '{MetricsListen}' is not ADDRESS:PORT (e.g. 127.0.0.1:9464)");
            }
            else if (metrics.Port != 0 && IPEndPoint.TryParse(Listen ?? string.Empty, out var listen) && metrics.Equals(listen))
            {
                yield return Problem($"metricsListen: --metrics-listen {MetricsListen} is the --listen address; metrics need a port of their own");
            }
        }

        foreach (var problem in TlsProblems())
        {
            yield return Problem(problem);
        }

        if (new ConnectionLimits { MaxConnections = MaxConnections, MaxConnectionsPerPeer = MaxConnectionsPerPeer }.Problem() is { } limits)
        {
            yield return Problem($"maxConnections, maxConnectionsPerPeer: --max-connections / --max-connections-per-peer: {limits}");
        }

        for (var i = 0; i < RunbookDirectories.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(RunbookDirectories[i]))
            {
                yield return Problem($"runbookDirectories[{i}]: must not be empty");
            }
        }

        if (NodeTimeout is not null && (!Durations.TryParse(NodeTimeout, out var timeout) || timeout < TimeSpan.FromSeconds(1)))
        {
            yield return Problem($"nodeTimeout: '{NodeTimeout}' must be a duration of at least 1s (e.g. 60s)");
        }

        if (!Enum.TryParse<LogEventLevel>(LogLevel, ignoreCase: true, out _) || int.TryParse(LogLevel, out _))
        {
            yield return Problem($"logLevel: '{LogLevel}' is not one of Verbose, Debug, Information, Warning, Error, Fatal");
        }

        if (LogFile is not null && !Path.IsPathFullyQualified(LogFile))
        {
            yield return Problem($"logFile: '{LogFile}' must be an absolute path");
        }
    }

    private IEnumerable<string> TlsProblems()
    {
        if (Insecure)
        {
            if (Tls.Cert is not null || Tls.Key is not null || Tls.ClientCa is not null)
            {
                yield return "insecure, tls: --insecure cannot be combined with --tls-cert, --tls-key or --client-ca";
            }

            yield break;
        }

        var (cert, key, clientCa, _) = EffectiveTls();
        foreach (var (name, flag, path) in new[] { ("cert", "--tls-cert", cert), ("key", "--tls-key", key), ("clientCa", "--client-ca", clientCa) })
        {
            if (path is null)
            {
                yield return $"tls.{name}: {flag} is required (or pass --insecure to serve plaintext, for tests only)";
            }
            else if (!File.Exists(path))
            {
                yield return $"tls.{name}: {flag} '{path}' does not exist";
            }
        }
    }

    // No member names: the message starts with the key already, and the builder would prefix the property name.
    private static ValidationResult Problem(string message) => new(message);

    private static string ToCamelCase(string dotted) =>
        string.Join('.', dotted.Split('.').Select(part => char.ToLowerInvariant(part[0]) + part[1..]));
}
