using System.Diagnostics;
using System.Text;

namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>Runs host commands with captured output, optional standard input and a hard time limit.</summary>
public static class ProcessRunner
{
    /// <summary>The time limit used when a caller gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> and waits for it to exit.</summary>
    /// <param name="fileName">The program (PATH is searched).</param>
    /// <param name="arguments">Arguments, passed without a shell.</param>
    /// <param name="standardInput">Bytes written to the process's stdin, which is then closed; null for none.</param>
    /// <param name="timeout">Time limit; the process tree is killed when it is reached and a TimeoutException thrown.</param>
    /// <param name="environment">Extra environment variables.</param>
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        byte[]? standardInput = null,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var commandLine = fileName + " " + string.Join(' ', startInfo.ArgumentList);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {commandLine}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(standardInput).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout ?? DefaultTimeout}");
        }

        return new CommandResult(commandLine, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs a shell snippet with /bin/sh -c.</summary>
    public static Task<CommandResult> ShellAsync(string script, TimeSpan? timeout = null) =>
        RunAsync("/bin/sh", ["-c", script], timeout: timeout);

    /// <summary>Encodes text as UTF-8 for <see cref="RunAsync"/>'s standard input.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
