using System.Reflection;
using RollbackMesh.Coordinator.Commands;
using RollbackMesh.Coordinator.Configuration;
using RollbackMesh.Coordinator.Hosting;
using Serilog.Events;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Configuration;

/// <summary>`serve` reads coordinator.yaml (the shipped one included), the flags win, and every problem names its key.</summary>
public sealed class ServeOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rollbackmesh-serve-options-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Read_ShippedCoordinatorYaml_EveryKeyInItReachesTheOptions()
    {
        var (values, problems) = ConfigFileReader.Read(ShippedFile(), required: true);
        Assert.Empty(problems);
        var options = ServeCommand.Bind(values, problems);
        Assert.NotNull(options);

        // Every key the file sets, with the value the options hold for it; a key missing here fails the test.
        var reached = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Coordinator:Listen"] = options.Listen,
            ["Coordinator:DataDirectory"] = options.DataDirectory,
            ["Coordinator:Tls:Cert"] = options.Tls.Cert,
            ["Coordinator:Tls:Key"] = options.Tls.Key,
            ["Coordinator:Tls:ClientCa"] = options.Tls.ClientCa,
            ["Coordinator:Insecure"] = options.Insecure.ToString().ToLowerInvariant(),
            ["Coordinator:MaxConnections"] = options.MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coordinator:MaxConnectionsPerPeer"] = options.MaxConnectionsPerPeer.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coordinator:NodeTimeout"] = options.NodeTimeout,
            ["Coordinator:LogLevel"] = options.LogLevel,
        };
        Assert.NotEmpty(values);
        foreach (var (key, value) in values)
        {
            Assert.True(reached.TryGetValue(key, out var bound), $"{key} from the shipped file is not checked here");
            Assert.Equal(value, bound);
        }

        Assert.Equal(TimeSpan.FromSeconds(25), options.NodeTimeoutValue);
        Assert.Empty(options.RunbookDirectories); // runbookDirectories: [] in the file
    }

    [Fact]
    public void Read_ShippedCoordinatorYamlWithTheTlsAndLogFileExamplesUncommented_BindsThem()
    {
        var uncommented = new List<string>();
        var inTls = false;
        foreach (var line in File.ReadAllLines(ShippedFile()))
        {
            inTls = line == "# tls:" || (inTls && line.StartsWith("#   ", StringComparison.Ordinal));
            uncommented.Add(inTls || line.StartsWith("# logFile:", StringComparison.Ordinal) ? line[2..] : line);
        }

        var (values, problems) = ConfigFileReader.Read(Write(string.Join('\n', uncommented)), required: true);
        var options = ServeCommand.Bind(values, problems);

        Assert.Empty(problems);
        Assert.NotNull(options);
        Assert.Equal(("/etc/rollbackmesh/tls/coordinator.crt", "/etc/rollbackmesh/tls/coordinator.key", "/etc/rollbackmesh/tls/ca.crt"),
            (options.Tls.Cert, options.Tls.Key, options.Tls.ClientCa));
        Assert.Equal("/var/log/rollbackmesh/coordinator.log", options.LogFile);
    }

    [Fact]
    public void Keys_EveryPropertyOfTheOptionsTree_IsAKnownKey()
    {
        var properties = typeof(ServeOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name)
            .Concat(typeof(ServeTlsOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => "Tls." + p.Name));

        Assert.All(properties, p => Assert.Contains(p, ServeOptions.Keys, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void TryResolve_FileOnly_ServesWhatTheFileSays()
    {
        var runbooks = Directory.CreateDirectory(Path.Combine(_directory, "runbooks")).FullName;
        var config = Write($"""
            listen: 127.0.0.1:7999
            dataDirectory: {_directory}/data
            insecure: true
            runbookDirectories:
              - {runbooks}
              - {_directory}
            maxConnections: 100
            maxConnectionsPerPeer: 10
            nodeTimeout: 2m
            logFile: {_directory}/coordinator.log
            logLevel: Debug
            """);

        var options = Bind(["serve", "--config", config]);

        Assert.Equal("127.0.0.1:7999", options.Listen.ToString());
        Assert.Equal(Path.Combine(_directory, "data"), options.DataDirectory);
        Assert.True(options.Insecure);
        Assert.Null(options.Tls);
        Assert.Equal([runbooks, _directory], options.RunbookDirectories);
        Assert.Equal((100, 10), (options.Connections.MaxConnections, options.Connections.MaxConnectionsPerPeer));
        Assert.Equal(TimeSpan.FromMinutes(2), options.NodeTimeout);
        Assert.Equal(new CoordinatorLogSettings(LogEventLevel.Debug, Path.Combine(_directory, "coordinator.log")), options.Log);
    }

    [Fact]
    public void TryResolve_FlagsAndFile_FlagsWin()
    {
        var config = Write($"""
            listen: 127.0.0.1:7999
            dataDirectory: {_directory}/from-file
            insecure: true
            runbookDirectories: [{_directory}/a, {_directory}/b]
            maxConnections: 100
            """);

        var options = Bind(["serve", "--config", config, "--listen", "127.0.0.1:0", "--data", _directory, "--runbooks", _directory, "--max-connections", "500"]);

        Assert.Equal("127.0.0.1:0", options.Listen.ToString());
        Assert.Equal(_directory, options.DataDirectory);
        Assert.Equal([_directory], options.RunbookDirectories);
        Assert.Equal(500, options.Connections.MaxConnections);
        Assert.True(options.Insecure);
    }

    [Fact]
    public void TryResolve_NoConfigAndNoDefaultFile_FlagsAlone()
    {
        var result = Parse(["serve", "--insecure", "--listen", "127.0.0.1:0", "--data", _directory]);

        var options = ServeCommand.TryBind(result, out var error, defaultConfigPath: Path.Combine(_directory, "missing.yaml"));

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.Equal(_directory, options.DataDirectory);
    }

    [Fact]
    public void TryResolve_ExplicitConfigMissing_IsAnError()
    {
        var missing = Path.Combine(_directory, "missing.yaml");

        var options = ServeCommand.TryBind(Parse(["serve", "--config", missing, "--insecure"]), out var error);

        Assert.Null(options);
        Assert.Contains($"{missing}: cannot read the configuration file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_UnknownKeys_EachRefusedByName()
    {
        var config = Write($"""
            listen: 127.0.0.1:0
            dataDirectory: {_directory}
            insecure: true
            maxConnection: 10
            tls:
              clientCA2: /etc/ca.crt
            """);

        ServeCommand.TryResolve(Parse(["serve", "--config", config]), out var problems);

        Assert.Equal([$"{config}: maxConnection: unknown key (line 4)", $"{config}: tls.clientCA2: unknown key (line 6)"], problems);
    }

    [Fact]
    public void TryResolve_SeveralBadValues_EveryProblemWithItsKey()
    {
        var config = Write($"""
            listen: localhost
            dataDirectory: {_directory}
            maxConnections: 10
            maxConnectionsPerPeer: 20
            nodeTimeout: soon
            logLevel: Chatty
            logFile: coordinator.log
            """);

        ServeCommand.TryResolve(Parse(["serve", "--config", config]), out var problems);

        Assert.Equal(
            [
                "listen: --listen 'localhost' is not ADDRESS:PORT (e.g. 127.0.0.1:7443)",
                "tls.cert: --tls-cert is required (or pass --insecure to serve plaintext, for tests only)",
                "tls.key: --tls-key is required (or pass --insecure to serve plaintext, for tests only)",
                "tls.clientCa: --client-ca is required (or pass --insecure to serve plaintext, for tests only)",
                "maxConnections, maxConnectionsPerPeer: --max-connections / --max-connections-per-peer: the per-address connection limit 20 exceeds the total 10",
                "nodeTimeout: 'soon' must be a duration of at least 1s (e.g. 60s)",
                "logLevel: 'Chatty' is not one of Verbose, Debug, Information, Warning, Error, Fatal",
                "logFile: 'coordinator.log' must be an absolute path",
            ],
            problems);
    }

    [Fact]
    public void TryResolve_ValueOfTheWrongType_NamesTheKey()
    {
        var config = Write("insecure: maybe\n");

        ServeCommand.TryResolve(Parse(["serve", "--config", config]), out var problems);

        Assert.Contains("Coordinator:Insecure", Assert.Single(problems), StringComparison.Ordinal);
    }

    private CoordinatorHostOptions Bind(string[] args)
    {
        var options = ServeCommand.TryBind(Parse(args), out var error, defaultConfigPath: Path.Combine(_directory, "missing.yaml"));
        Assert.True(options is not null, error);
        return options;
    }

    private static System.CommandLine.ParseResult Parse(string[] args) =>
        new System.CommandLine.RootCommand { ServeCommand.Create() }.Parse(args);

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory, $"coordinator-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string ShippedFile()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "packaging", "config", "coordinator.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("packaging/config/coordinator.yaml not found above " + AppContext.BaseDirectory);
    }
}
