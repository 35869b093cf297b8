using System.Diagnostics;

namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>Runs setup commands for testbeds; a failure throws with the command's output, so a missing tool fails loudly.</summary>
internal static class Sh
{
    public static string Run(string file, params string[] args) => Run(file, args, null);

    public static string Run(string file, IEnumerable<string> args, IDictionary<string, string>? env, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            startInfo.Environment[k] = v;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stdout.Result}{stderr}");
        }

        return stdout.Result;
    }

    public static void WriteScript(string path, string body)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }
}
