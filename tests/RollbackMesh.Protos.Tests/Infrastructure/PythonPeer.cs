using System.Diagnostics;

namespace RollbackMesh.Protos.Tests.Infrastructure;

/// <summary>
/// Runs the grpcio peer scripts with Debian's /usr/bin/python3. Stubs are generated once per test run with protoc and
/// /usr/bin/grpc_python_plugin; a missing tool fails the test with a message saying what to install.
/// </summary>
internal static class PythonPeer
{
    private const string Python = "/usr/bin/python3";
    private const string Protoc = "/usr/bin/protoc";
    private const string GrpcPlugin = "/usr/bin/grpc_python_plugin";
    private static readonly Lazy<Task<string>> Stubs = new(GenerateStubsAsync);

    public static string InteropDirectory => Path.Combine(AppContext.BaseDirectory, "Interop");

    /// <summary>Starts a long-running script (the test server); its stdout lines are available as they arrive.</summary>
    public static async Task<PythonProcess> StartAsync(string script, params string[] args)
    {
        var start = await CreateStartInfoAsync(script, args);
        start.RedirectStandardInput = true;
        return new PythonProcess(Process.Start(start) ?? throw new InvalidOperationException("python3 did not start."));
    }

    /// <summary>Runs a script to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, string script, params string[] args)
    {
        var start = await CreateStartInfoAsync(script, args);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {string.Join(' ', args)} did not finish within {timeout}: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<ProcessStartInfo> CreateStartInfoAsync(string script, string[] args)
    {
        var stubs = await Stubs.Value;
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(InteropDirectory, "python", script));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PYTHONPATH"] = stubs;
        start.Environment["PYTHONUNBUFFERED"] = "1";
        // grpcio honours proxy variables; loopback interop must not go through one.
        foreach (var name in new[] { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "grpc_proxy", "all_proxy", "ALL_PROXY" })
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    private static async Task<string> GenerateStubsAsync()
    {
        foreach (var tool in new[] { Python, Protoc, GrpcPlugin })
        {
            if (!File.Exists(tool))
            {
                throw new InvalidOperationException(
                    $"{tool} is missing: install python3-grpcio protobuf-compiler protobuf-compiler-grpc (tests/install-test-deps.sh).");
            }
        }

        var output = Directory.CreateTempSubdirectory("rollbackmesh-grpc-py-").FullName;
        var protoDir = Path.Combine(InteropDirectory, "proto");
        var start = new ProcessStartInfo(Protoc)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "-I", protoDir, "--python_out=" + output, "--grpc_out=" + output, "--plugin=protoc-gen-grpc=" + GrpcPlugin,
            Path.Combine(protoDir, "transport_test.proto"), Path.Combine(protoDir, "health.proto"),
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("protoc did not start.");
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"protoc failed ({process.ExitCode}): {stderr}");
        }

        return output;
    }
}
