using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>
/// A real child process (<c>dotnet DLL args</c>) whose stdout and stderr lines are kept, so tests can wait for a line
/// and show everything the process said when they fail. Disposing kills it (and its children) if still running.
/// </summary>
internal sealed class TestProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly Lock _lock = new();

    private TestProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far, stdout lines as "out: ", stderr lines as "err: ".</summary>
    public string Output => string.Join(Environment.NewLine, _lines);

    public static TestProcess Start(string name, string dll, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var test = new TestProcess(name, process);
        process.OutputDataReceived += (_, e) => test.OnLine("out: ", e.Data);
        process.ErrorDataReceived += (_, e) => test.OnLine("err: ", e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return test;
    }

    /// <summary>Waits for a stdout line matching <paramref name="match"/>; fails with the output so far on timeout or exit.</summary>
    public async Task<string> WaitForStdoutLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var existing = _lines.Where(l => l.StartsWith("out: ", StringComparison.Ordinal)).Select(l => l[5..]).FirstOrDefault(match);
            if (existing is not null)
            {
                return existing;
            }

            _waiters.Add((match, found));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
        if (first == exited)
        {
            // The exit is seen after the output is drained, but the matching line's waiter completes asynchronously:
            // a process that printed the line and exited may be seen as exited first.
            lock (_lock)
            {
                if (_lines.Where(l => l.StartsWith("out: ", StringComparison.Ordinal)).Select(l => l[5..]).FirstOrDefault(match) is { } printed)
                {
                    return printed;
                }
            }
        }

        return first == found.Task
            ? await found.Task
            : throw new TimeoutException($"{Name} {(first == exited ? $"exited ({_process.ExitCode})" : "timed out")} before printing the expected line. Output:\n{Output}");
    }

    /// <summary>Waits for the process to exit and its output to be read to the end; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void OnLine(string prefix, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _lines.Enqueue(prefix + line);
            if (prefix != "out: ")
            {
                return;
            }

            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Found.TrySetResult(line);
            }
        }
    }
}
