using System.Diagnostics;
using System.Text;

namespace RollbackMesh.Agent.Processes;

/// <summary>
/// Runs a <see cref="ToolInvocation"/> without a shell, streaming stdout and stderr line by line to a callback
/// while collecting them. Cancellation (which includes a step's deadline) kills the whole process tree.
/// </summary>
internal sealed class ToolRunner
{
    /// <summary>Runs the tool and waits for it; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    /// <param name="invocation">What to run.</param>
    /// <param name="onLine">Receives every output line as it arrives (stderr lines prefixed "stderr: "); may be null.</param>
    /// <param name="cancellationToken">Cancels and kills the process tree.</param>
    public async Task<ToolResult> RunAsync(ToolInvocation invocation, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(invocation.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = invocation.WorkingDirectory ?? string.Empty,
        };
        foreach (var argument in invocation.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in invocation.Environment.Concat(invocation.SecretEnvironment))
        {
            startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var sync = new object();
        process.OutputDataReceived += (_, e) => Collect(e.Data, stdout, string.Empty);
        process.ErrorDataReceived += (_, e) => Collect(e.Data, stderr, "stderr: ");

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ToolStartException(invocation.FileName, ex.Message, ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw;
        }

        // The parameterless WaitForExit drains the redirected streams after exit.
        process.WaitForExit();
        lock (sync)
        {
            return new ToolResult(process.ExitCode, stdout.ToString(), stderr.ToString());
        }

        void Collect(string? line, StringBuilder into, string prefix)
        {
            if (line is null)
            {
                return;
            }

            lock (sync)
            {
                into.Append(line).Append('\n');
            }

            onLine?.Invoke(prefix + line);
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the cancellation and the kill.
        }
    }
}
