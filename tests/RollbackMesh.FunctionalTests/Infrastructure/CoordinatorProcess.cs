using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>
/// A real <c>rollbackmesh-coordinator serve --insecure --listen 127.0.0.1:0 --data TMP</c> process; <see cref="Address"/>
/// is parsed from its "listening on" line (and <see cref="MetricsAddress"/> from "metrics on" when --metrics-listen is
/// among the extra arguments). Disposing kills it, writes its output to the test log and removes TMP.
/// </summary>
internal sealed class CoordinatorProcess : IDisposable
{
    private const string ListeningPrefix = "listening on ";
    private const string MetricsPrefix = "metrics on ";
    private readonly ITestOutputHelper _log;

    private CoordinatorProcess(TestProcess process, Uri address, string dataDirectory, ITestOutputHelper log)
    {
        Process = process;
        Address = address;
        DataDirectory = dataDirectory;
        _log = log;
    }

    public TestProcess Process { get; }

    public Uri Address { get; }

    /// <summary>host:port, as non-.NET clients want it.</summary>
    public string Target => $"{Address.Host}:{Address.Port}";

    public string DataDirectory { get; }

    /// <summary>The scrape URL of <c>--metrics-listen</c>; null without it.</summary>
    public Uri? MetricsAddress { get; private init; }

    public static async Task<CoordinatorProcess> StartAsync(ITestOutputHelper log, params string[] extraArgs)
    {
        var data = Directory.CreateTempSubdirectory("rollbackmesh-e2e-coord-").FullName;
        var process = TestProcess.Start("coordinator", BuiltExecutables.Coordinator,
            ["serve", "--insecure", "--listen", "127.0.0.1:0", "--data", data, .. extraArgs]);
        try
        {
            var line = await process.WaitForStdoutLineAsync(l => l.StartsWith(ListeningPrefix, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var metrics = extraArgs.Contains("--metrics-listen")
                ? await process.WaitForStdoutLineAsync(l => l.StartsWith(MetricsPrefix, StringComparison.Ordinal), TimeSpan.FromSeconds(10))
                : null;
            return new CoordinatorProcess(process, new Uri(line[ListeningPrefix.Length..]), data, log)
            {
                MetricsAddress = metrics is null ? null : new Uri(metrics[MetricsPrefix.Length..]),
            };
        }
        catch
        {
            log.WriteLine(process.Output);
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Process.Dispose();
        _log.WriteLine("--- coordinator output ---\n" + Process.Output);
        Directory.Delete(DataDirectory, recursive: true);
    }
}
