using System.CommandLine;
using System.Net;
using RollbackMesh.Coordinator.Hosting;

namespace RollbackMesh.Coordinator.Commands;

/// <summary>
/// `rollbackmesh-coordinator serve --listen ADDR:PORT --data DIR [--insecure] [--runbooks DIR]
/// [--tls-cert F --tls-key F --client-ca F] [--max-connections N] [--max-connections-per-peer N] [--metrics-listen ADDR:PORT]`.
/// </summary>
internal static class ServeCommand
{
    private static readonly Option<string> Listen = new("--listen")
    {
        Description = "Address and port to listen on, e.g. 0.0.0.0:7443 or 127.0.0.1:0 (any free port).",
        Required = true,
    };

    private static readonly Option<string> Data = new("--data") { Description = "State directory (SQLite store).", Required = true };
    private static readonly Option<bool> Insecure = new("--insecure") { Description = "Serve plaintext h2c without authentication (tests and demos only)." };
    private static readonly Option<string?> Runbooks = new("--runbooks") { Description = "Directory of extra runbook YAML files." };
    private static readonly Option<string?> TlsCert = new("--tls-cert") { Description = "Server certificate (PEM)." };
    private static readonly Option<string?> TlsKey = new("--tls-key") { Description = "Server private key (PEM)." };
    private static readonly Option<string?> ClientCa = new("--client-ca") { Description = "CA (PEM) that agent and operator certificates must chain to." };

    private static readonly ConnectionLimits DefaultLimits = new();

    private static readonly Option<int> MaxConnections = new("--max-connections")
    {
        Description = $"Open connections in all; more are closed on accept. Default {DefaultLimits.MaxConnections} (holds 10,000 agents).",
        DefaultValueFactory = _ => DefaultLimits.MaxConnections,
    };

    private static readonly Option<int> MaxConnectionsPerPeer = new("--max-connections-per-peer")
    {
        Description = $"Open connections from one IP address; more are closed before TLS. Default {DefaultLimits.MaxConnectionsPerPeer} (raise it for many agents behind one NAT).",
        DefaultValueFactory = _ => DefaultLimits.MaxConnectionsPerPeer,
    };

    private static readonly Option<string?> MetricsListen = new("--metrics-listen")
    {
        Description = "Serve Prometheus metrics (plaintext HTTP, GET /metrics) on this address and port, e.g. 127.0.0.1:9464; off by default.",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Run the coordinator until SIGTERM.")
        {
            Listen, Data, Insecure, Runbooks, TlsCert, TlsKey, ClientCa, MaxConnections, MaxConnectionsPerPeer, MetricsListen,
        };
        command.SetAction((result, _) =>
        {
            var options = TryBind(result, out var error);
            if (options is null)
            {
                Console.Error.WriteLine("rollbackmesh-coordinator serve: " + error);
                return Task.FromResult(CoordinatorExitCodes.Usage);
            }

            return CoordinatorProcess.RunAsync(options);
        });
        return command;
    }

    /// <summary>Turns the parsed options into <see cref="CoordinatorHostOptions"/>, or explains what is wrong.</summary>
    internal static CoordinatorHostOptions? TryBind(ParseResult result, out string? error)
    {
        var problems = new List<string>();
        var listenText = result.GetValue(Listen)!;
        if (!IPEndPoint.TryParse(listenText, out var endPoint) || !listenText.Contains(':', StringComparison.Ordinal))
        {
            problems.Add($"--listen '{listenText}' is not ADDRESS:PORT (e.g. 127.0.0.1:7443)");
        }

        IPEndPoint? metrics = null;
        if (result.GetValue(MetricsListen) is { } metricsText)
        {
            if (!IPEndPoint.TryParse(metricsText, out metrics) || !metricsText.Contains(':', StringComparison.Ordinal))
            {
                problems.Add($"--metrics-listen '{metricsText}' is not ADDRESS:PORT (e.g. 127.0.0.1:9464)");
            }
            else if (endPoint is not null && metrics.Port != 0 && metrics.Equals(endPoint))
            {
                problems.Add($"--metrics-listen {metricsText} is the --listen address; metrics need a port of their own");
            }
        }

        var insecure = result.GetValue(Insecure);
        // security: without explicit files, serve what `init --data` created (enrollment needs client certificates optional).
        var pki = new Security.SecurityPaths(Path.GetFullPath(result.GetValue(Data)!));
        var enroll = !insecure && Security.SecurityServiceCollectionExtensions.IsInitialized(pki);
        var files = new[]
        {
            (TlsCert, result.GetValue(TlsCert) ?? (enroll ? pki.ServerCertificate : null)),
            (TlsKey, result.GetValue(TlsKey) ?? (enroll ? pki.ServerKey : null)),
            (ClientCa, result.GetValue(ClientCa) ?? (enroll ? pki.CaCertificate : null)),
        };
        CoordinatorTlsOptions? tls = null;
        if (insecure && files.Any(f => f.Item2 is not null))
        {
            problems.Add("--insecure cannot be combined with --tls-cert, --tls-key or --client-ca");
        }
        else if (!insecure)
        {
            foreach (var (option, path) in files)
            {
                if (path is null)
                {
                    problems.Add($"{option.Name} is required (or pass --insecure to serve plaintext, for tests only)");
                }
                else if (!File.Exists(path))
                {
                    problems.Add($"{option.Name} '{path}' does not exist");
                }
            }

            tls = problems.Count == 0 ? new CoordinatorTlsOptions(files[0].Item2!, files[1].Item2!, files[2].Item2!,
                enroll ? Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate : Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate) : null;
        }

        var limits = DefaultLimits with { MaxConnections = result.GetValue(MaxConnections), MaxConnectionsPerPeer = result.GetValue(MaxConnectionsPerPeer) };
        if (limits.Problem() is { } limitProblem)
        {
            problems.Add($"--max-connections / --max-connections-per-peer: {limitProblem}");
        }

        error = problems.Count > 0 ? string.Join(Environment.NewLine, problems) : null;
        return problems.Count > 0
            ? null
            : new CoordinatorHostOptions(endPoint!, Path.GetFullPath(result.GetValue(Data)!), tls, insecure, result.GetValue(Runbooks))
            {
                Connections = limits,
                MetricsListen = metrics,
            };
    }
}
