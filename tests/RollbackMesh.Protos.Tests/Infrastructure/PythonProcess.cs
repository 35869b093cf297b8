using System.Diagnostics;
using System.Threading.Channels;

namespace RollbackMesh.Protos.Tests.Infrastructure;

/// <summary>A running Python peer; closing its stdin asks it to stop, disposing kills it if it has not.</summary>
internal sealed class PythonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];
    private readonly Task _stderr;

    public PythonProcess(Process process)
    {
        _process = process;
        _ = PumpAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Waits for a stdout line matching <paramref name="predicate"/> (lines seen earlier count too).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        lock (_seen)
        {
            var earlier = _seen.FirstOrDefault(predicate);
            if (earlier is not null)
            {
                return earlier;
            }
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(cts.Token))
            {
                if (predicate(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        var stderr = _stderr.IsCompleted ? await (Task<string>)_stderr : "(still running)";
        throw new TimeoutException($"No matching line from the Python peer within {timeout}. Seen: [{string.Join(" | ", Seen())}] stderr: {stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private List<string> Seen()
    {
        lock (_seen)
        {
            return [.. _seen];
        }
    }

    private async Task PumpAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_seen)
            {
                _seen.Add(line);
            }

            _lines.Writer.TryWrite(line);
        }

        _lines.Writer.TryComplete();
    }
}
