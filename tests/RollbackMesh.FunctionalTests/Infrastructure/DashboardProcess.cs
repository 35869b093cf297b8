using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>
/// A real <c>rollbackmesh --coordinator URL ... ui --listen 127.0.0.1:0</c> process; <see cref="Address"/> is parsed from
/// its "dashboard on" line. Disposing kills it and writes its output to the test log.
/// </summary>
internal sealed class DashboardProcess : IDisposable
{
    private const string ListeningPrefix = "dashboard on ";
    private readonly TestProcess _process;
    private readonly ITestOutputHelper _log;

    private DashboardProcess(TestProcess process, Uri address, ITestOutputHelper log)
    {
        _process = process;
        Address = address;
        _log = log;
    }

    public Uri Address { get; }

    /// <param name="connection">The CLI's connection options (--coordinator, --insecure or --ca/--cert/--key).</param>
    public static async Task<DashboardProcess> StartAsync(ITestOutputHelper log, params string[] connection)
    {
        var process = TestProcess.Start("dashboard", BuiltExecutables.Cli, [.. connection, "ui", "--listen", "127.0.0.1:0"]);
        try
        {
            var line = await process.WaitForStdoutLineAsync(l => l.StartsWith(ListeningPrefix, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            return new DashboardProcess(process, new Uri(line[ListeningPrefix.Length..]), log);
        }
        catch
        {
            log.WriteLine(process.Output);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public Task<int> TerminateAsync(TimeSpan timeout) => _process.TerminateAsync(timeout);

    public void Dispose()
    {
        _process.Dispose();
        _log.WriteLine("--- dashboard output ---\n" + _process.Output);
    }
}
