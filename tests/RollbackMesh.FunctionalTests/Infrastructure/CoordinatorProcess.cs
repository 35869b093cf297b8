using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>
/// A real <c>rollbackmesh-coordinator serve --insecure --listen 127.0.0.1:0 --data TMP</c> process; <see cref="Address"/>
/// is parsed from its "listening on" line. Disposing kills it, writes its output to the test log and removes TMP.
/// </summary>
internal sealed class CoordinatorProcess : IDisposable
{
    private const string ListeningPrefix = "listening on ";
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

    public static async Task<CoordinatorProcess> StartAsync(ITestOutputHelper log, params string[] extraArgs)
    {
        var data = Directory.CreateTempSubdirectory("rollbackmesh-e2e-coord-").FullName;
        var process = TestProcess.Start("coordinator", BuiltExecutables.Coordinator,
            ["serve", "--insecure", "--listen", "127.0.0.1:0", "--data", data, .. extraArgs]);
        try
        {
            var line = await process.WaitForStdoutLineAsync(l => l.StartsWith(ListeningPrefix, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            return new CoordinatorProcess(process, new Uri(line[ListeningPrefix.Length..]), data, log);
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
