using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using RollbackMesh.Coordinator.Configuration;
using RollbackMesh.Coordinator.Hosting;
using Serilog.Events;

namespace RollbackMesh.Coordinator.Commands;

/// <summary>
/// `rollbackmesh-coordinator serve [--config FILE] [--listen ADDR:PORT] [--data DIR] [--insecure] [--runbooks DIR]
/// [--tls-cert F --tls-key F --client-ca F] [--max-connections N] [--max-connections-per-peer N] [--metrics-listen ADDR:PORT]`: the settings of
/// <see cref="ServeOptions"/>, from the configuration file with the flags given winning over it.
/// </summary>
internal static class ServeCommand
{
    private static readonly Option<string?> Config = new("--config")
    {
        Description = $"Configuration file (YAML). Default {ServeOptions.DefaultConfigPath}, skipped when missing; a file named here must exist.",
    };

    private static readonly Option<string?> Listen = new("--listen")
    {
        Description = "Address and port to listen on, e.g. 0.0.0.0:7443 or 127.0.0.1:0 (any free port). Overrides listen.",
    };

    private static readonly Option<string?> Data = new("--data") { Description = "State directory (SQLite store). Overrides dataDirectory." };
    private static readonly Option<bool> Insecure = new("--insecure") { Description = "Serve plaintext h2c without authentication (tests and demos only)." };
    private static readonly Option<string?> Runbooks = new("--runbooks") { Description = "Directory of extra runbook YAML files. Replaces runbookDirectories." };
    private static readonly Option<string?> TlsCert = new("--tls-cert") { Description = "Server certificate (PEM). Overrides tls.cert." };
    private static readonly Option<string?> TlsKey = new("--tls-key") { Description = "Server private key (PEM). Overrides tls.key." };
    private static readonly Option<string?> ClientCa = new("--client-ca") { Description = "CA (PEM) that agent and operator certificates must chain to. Overrides tls.clientCa." };

    private static readonly Option<int?> MaxConnections = new("--max-connections")
    {
        Description = $"Open connections in all; more are closed on accept. Default {new ServeOptions().MaxConnections} (holds 10,000 agents).",
    };

    private static readonly Option<int?> MaxConnectionsPerPeer = new("--max-connections-per-peer")
    {
        Description = $"Open connections from one IP address; more are closed before TLS. Default {new ServeOptions().MaxConnectionsPerPeer} (raise it for many agents behind one NAT).",
    };

    private static readonly Option<string?> MetricsListen = new("--metrics-listen")
    {
        Description = "Serve Prometheus metrics (plaintext HTTP, GET /metrics) on this address and port, e.g. 127.0.0.1:9464; off by default. Overrides metricsListen.",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Run the coordinator until SIGTERM.")
        {
            Config, Listen, Data, Insecure, Runbooks, TlsCert, TlsKey, ClientCa, MaxConnections, MaxConnectionsPerPeer, MetricsListen,
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

    /// <summary>
    /// Reads the configuration file and the flags into <see cref="ServeOptions"/>, validates them once, and turns them
    /// into <see cref="CoordinatorHostOptions"/>; or explains every problem, each naming its key.
    /// </summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="error">Every problem, one a line, when the result is null.</param>
    /// <param name="defaultConfigPath">The file read without --config (tests point it elsewhere).</param>
    internal static CoordinatorHostOptions? TryBind(ParseResult result, out string? error, string defaultConfigPath = ServeOptions.DefaultConfigPath)
    {
        var options = TryResolve(result, out var problems, defaultConfigPath);
        error = problems.Count > 0 ? string.Join(Environment.NewLine, problems) : null;
        return options is null ? null : ToHostOptions(options);
    }

    /// <summary>The bound and validated <see cref="ServeOptions"/>, or null with every problem in <paramref name="problems"/>.</summary>
    internal static ServeOptions? TryResolve(ParseResult result, out List<string> problems, string defaultConfigPath = ServeOptions.DefaultConfigPath)
    {
        var explicitPath = result.GetValue(Config);
        var (values, fileProblems) = ConfigFileReader.Read(explicitPath ?? defaultConfigPath, required: explicitPath is not null);
        problems = fileProblems;
        foreach (var (key, value) in FlagOverrides(result))
        {
            // A flag replaces the key and everything under it: --runbooks DIR is the whole list.
            var list = key.EndsWith(":0", StringComparison.Ordinal);
            var replaced = list ? key[..^2] : key;
            foreach (var old in values.Keys.Where(k => k.Equals(replaced, StringComparison.OrdinalIgnoreCase)
                || k.StartsWith(replaced + ":", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                values.Remove(old);
            }

            values[key] = value;
        }

        var options = Bind(values, problems);
        if (options is null)
        {
            return null;
        }

        var validation = new ServeOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            problems.AddRange(validation.Failures);
        }

        return problems.Count == 0 ? options : null;
    }

    /// <summary>Binds flat "Coordinator:..." keys (generated binder); null with the problem added when a value has the wrong type.</summary>
    internal static ServeOptions? Bind(IReadOnlyDictionary<string, string?> values, List<string> problems)
    {
        var options = new ServeOptions();
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(ServeOptions.SectionName).Bind(options);
            return options;
        }
        catch (InvalidOperationException ex)
        {
            // The binder stops at the first value of the wrong type; its message names the key.
            problems.Add(ex.Message);
            return null;
        }
    }

    private static IEnumerable<(string Key, string? Value)> FlagOverrides(ParseResult result)
    {
        const string Section = ServeOptions.SectionName + ":";
        if (result.GetValue(Listen) is { } listen)
        {
            yield return (Section + nameof(ServeOptions.Listen), listen);
        }

        if (result.GetValue(Data) is { } data)
        {
            yield return (Section + nameof(ServeOptions.DataDirectory), data);
        }

        if (result.GetValue(Insecure))
        {
            yield return (Section + nameof(ServeOptions.Insecure), "true");
        }

        if (result.GetValue(Runbooks) is { } runbooks)
        {
            yield return (Section + nameof(ServeOptions.RunbookDirectories) + ":0", runbooks);
        }

        foreach (var (option, key) in new[] { (TlsCert, nameof(ServeTlsOptions.Cert)), (TlsKey, nameof(ServeTlsOptions.Key)), (ClientCa, nameof(ServeTlsOptions.ClientCa)) })
        {
            if (result.GetValue(option) is { } path)
            {
                yield return (Section + nameof(ServeOptions.Tls) + ":" + key, path);
            }
        }

        if (result.GetValue(MaxConnections) is { } max)
        {
            yield return (Section + nameof(ServeOptions.MaxConnections), max.ToString(CultureInfo.InvariantCulture));
        }

        if (result.GetValue(MaxConnectionsPerPeer) is { } perPeer)
        {
            yield return (Section + nameof(ServeOptions.MaxConnectionsPerPeer), perPeer.ToString(CultureInfo.InvariantCulture));
        }

        if (result.GetValue(MetricsListen) is { } metrics)
        {
            yield return (Section + nameof(ServeOptions.MetricsListen), metrics);
        }
    }

    private static CoordinatorHostOptions ToHostOptions(ServeOptions options)
    {
        var (cert, key, clientCa, enroll) = options.EffectiveTls();
        var tls = options.Insecure ? null : new CoordinatorTlsOptions(cert!, key!, clientCa!,
            enroll ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.RequireCertificate);
        return new CoordinatorHostOptions(IPEndPoint.Parse(options.Listen), Path.GetFullPath(options.DataDirectory), tls, options.Insecure,
            [.. options.RunbookDirectories])
        {
            Connections = new ConnectionLimits { MaxConnections = options.MaxConnections, MaxConnectionsPerPeer = options.MaxConnectionsPerPeer },
            NodeTimeout = options.NodeTimeoutValue,
            Log = new CoordinatorLogSettings(Enum.Parse<LogEventLevel>(options.LogLevel, ignoreCase: true), options.LogFile),
            MetricsListen = options.MetricsListen is { } metrics ? IPEndPoint.Parse(metrics) : null,
        };
    }
}
