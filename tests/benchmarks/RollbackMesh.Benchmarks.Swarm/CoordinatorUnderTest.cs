using System.Diagnostics;
using System.Globalization;
using System.Text;
using RollbackMesh.Testing.Network;

namespace RollbackMesh.Benchmarks.Swarm;

/// <summary>
/// The real coordinator as an operator runs it: <c>rollbackmesh-coordinator init</c>, <c>operator add</c>, then
/// <c>serve --listen 127.0.0.1:PORT --data DIR</c> (mTLS from the initialised data directory) as a child process
/// (<c>dotnet rollbackmesh-coordinator.dll</c>, built next to this program). The port is fixed at the first start so a
/// restart after SIGKILL comes back where the agents dial.
/// </summary>
internal sealed class CoordinatorUnderTest : IDisposable
{
    private const string ListeningPrefix = "listening on ";
    private readonly StringBuilder _stderrTail = new();
    private Process? _process;

    private CoordinatorUnderTest(string dataDirectory, int port)
    {
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public Uri Address => new($"https://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public string PkiDirectory => Path.Combine(DataDirectory, "pki");

    public string OperatorDirectory => Path.Combine(DataDirectory, "..", "operator");

    public int Pid => _process?.Id ?? throw new InvalidOperationException("The coordinator is not running.");

    public static string Executable(string dll) => Path.Combine(AppContext.BaseDirectory, dll);

    /// <summary>Initialises a data directory under <paramref name="root"/> and issues the operator "swarm".</summary>
    public static async Task<CoordinatorUnderTest> InitializeAsync(string root)
    {
        var data = Path.Combine(root, "data");
        var coordinator = new CoordinatorUnderTest(data, FreePort.Next());
        await RunToEndAsync("rollbackmesh-coordinator.dll", "init", "--data", data).ConfigureAwait(false);
        Directory.CreateDirectory(coordinator.OperatorDirectory);
        await RunToEndAsync("rollbackmesh-coordinator.dll", "operator", "add", "swarm", "--data", data, "--out", coordinator.OperatorDirectory).ConfigureAwait(false);
        return coordinator;
    }

    /// <summary>Starts serve and waits for its "listening on" line.</summary>
    public async Task StartAsync()
    {
        var info = Info("rollbackmesh-coordinator.dll", "serve", "--listen", $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}", "--data", DataDirectory);
        var process = new Process { StartInfo = info };
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith(ListeningPrefix, StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            // Logs go to stderr; keep a tail to show when something fails, without holding 10,000 connect lines.
            lock (_stderrTail)
            {
                _stderrTail.AppendLine(e.Data);
                if (_stderrTail.Length > 64_000)
                {
                    _stderrTail.Remove(0, _stderrTail.Length - 32_000);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(120))).ConfigureAwait(false) != listening.Task)
        {
            throw new InvalidOperationException("The coordinator did not start listening. Its log:\n" + StderrTail());
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a power cut or the OOM killer ends it.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public string StderrTail()
    {
        lock (_stderrTail)
        {
            return _stderrTail.ToString();
        }
    }

    public void Dispose() => Kill();

    /// <summary>Runs one of the built executables to completion; throws with its output if it fails.</summary>
    public static async Task<(string Stdout, TimeSpan Wall)> RunToEndAsync(string dll, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(Info(dll, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        clock.Stop();
        return process.ExitCode == 0
            ? (await stdout.ConfigureAwait(false), clock.Elapsed)
            : throw new InvalidOperationException($"{dll} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr.ConfigureAwait(false)}");
    }

    private static ProcessStartInfo Info(string dll, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Executable(dll));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }
}
